package io.cutover.observability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend.Mode;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ObservabilityTest extends ProxyTestBase {

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private long latencies(String backend) {
        var t = registry.find("cutover.backend.latency").tag("backend", backend).timer();
        return t == null ? 0 : t.count();
    }

    /** Counters live as long as the application: the test reads them before and after its own traffic. */
    @Test
    void shouldCountRequestsDecisionsAndLatencyPerBackend() {
        applyPolicy("v2Weight: 100\n");
        double v2Ok = counter("cutover.requests", "backend", "v2", "outcome", "success", "route", "devices");
        double v2Err = counter("cutover.requests", "backend", "v2", "outcome", "server-error", "route", "devices");
        double v1Ok = counter("cutover.requests", "backend", "v1", "outcome", "success", "route", "devices");
        double byWeight = counter("cutover.routing.decisions", "backend", "v2", "reason", "weight");
        double fallback = counter("cutover.routing.decisions", "backend", "v1", "reason", "fallback");
        long v2Timed = latencies("v2");

        for (int i = 0; i < 3; i++) {
            given().header("X-Api-Key", "key-tenant-" + i).get("/api/devices/1").then().statusCode(200).header("X-Cutover-Backend", "v2");
        }
        v2.mode(Mode.ERROR_500);                                   // 1 failure in 4 calls: V2's breaker stays closed
        for (int i = 0; i < 1; i++) {
            given().header("X-Api-Key", "key-tenant-" + i).get("/api/devices/1").then().statusCode(200).header("X-Cutover-Backend", "v1");
        }

        // a request is counted once its answer has been written out, a moment after the client has it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            org.assertj.core.api.Assertions.assertThat(counter("cutover.requests", "backend", "v2", "outcome", "success", "route", "devices") - v2Ok).isEqualTo(3);
            org.assertj.core.api.Assertions.assertThat(counter("cutover.requests", "backend", "v2", "outcome", "server-error", "route", "devices") - v2Err).isEqualTo(1);
            org.assertj.core.api.Assertions.assertThat(counter("cutover.requests", "backend", "v1", "outcome", "success", "route", "devices") - v1Ok).isEqualTo(1);
            org.assertj.core.api.Assertions.assertThat(counter("cutover.routing.decisions", "backend", "v2", "reason", "weight") - byWeight).isEqualTo(4);
            org.assertj.core.api.Assertions.assertThat(counter("cutover.routing.decisions", "backend", "v1", "reason", "fallback") - fallback).isEqualTo(1);
            org.assertj.core.api.Assertions.assertThat(latencies("v2") - v2Timed).isEqualTo(4);
        });
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(metrics)                     // the names scrapers see
                .contains("cutover_requests_total{backend=\"v2\",outcome=\"success\",route=\"devices\"}")
                .contains("cutover_backend_latency_seconds_bucket{backend=\"v2\"")
                .contains("cutover_breaker_state{backend=\"v2\",state=\"closed\"} 1.0")
                .contains("cutover_traffic_v2_weight 100.0")
                .contains("cutover_rollback_inconclusive_windows_total")
                .contains("cutover_rollback_blind_seconds");
    }

    @Test
    void shouldStayReadyWhileV1AnswersEvenWithV2Down() {
        v2.down();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'backends' }.data.'v2.breaker'", equalTo("closed"));
    }

    @Test
    void shouldNotBeReadyWhenV1IsDown() {
        v1.down();
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'backends' }.data.'v1.problem'", containsString("V1 unreachable"));
    }

    @Test
    void shouldNeverProxyTheRoutersOwnPaths() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/admin/status").then().statusCode(org.hamcrest.Matchers.not(200));
        org.assertj.core.api.Assertions.assertThat(v1.received()).isEmpty();
    }
}
