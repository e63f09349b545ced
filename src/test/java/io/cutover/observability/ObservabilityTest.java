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

    @Test
    void shouldCountRequestsDecisionsAndLatencyPerBackend() {
        applyPolicy("v2Weight: 100\n");
        given().get("/api/devices/1").then().statusCode(200);
        v2.mode(Mode.ERROR_500);
        given().get("/api/devices/1").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(metrics)
                .contains("cutover_requests_total{backend=\"v2\",outcome=\"success\",route=\"devices\"}")
                .contains("cutover_requests_total{backend=\"v2\",outcome=\"server-error\",route=\"devices\"}")
                .contains("cutover_routing_decisions_total{backend=\"v2\",reason=\"weight\"}")
                .contains("cutover_routing_decisions_total{backend=\"v1\",reason=\"fallback\"}")
                .contains("cutover_backend_latency_seconds_bucket{backend=\"v2\"")
                .contains("cutover_breaker_state{backend=\"v2\",state=\"closed\"} 1.0")
                .contains("cutover_traffic_v2_weight 100.0")
                .contains("cutover_policy_version");
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
