package io.cutover.rollback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.resilience.BackendBreakers;
import io.cutover.routing.Backend;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The latch and the guard through the router, with the two real backends. */
@QuarkusTest
class RollbackRoutingTest extends ProxyTestBase {

    private static final String BACKEND = "X-Cutover-Backend";
    private static final String ALL_ON_V2_WITH_PINS = """
            v2Weight: 100
            tenants:
              tenant-early: v2
              tenant-held: v1
            rollback:
              errorRate: 0.2
              minRequests: 10
              window: 10s
              p99LatencyMs: 300
            """;

    @Inject
    RollbackGuard guard;

    @Inject
    MeterRegistry registry;

    /**
     * Reads that V2 fails and V1 answers, each reaching V2: the test lets V2's breaker delay (real time) pass by
     * resetting it, so that the guard sees the calls themselves (it never counts short-circuits).
     */
    private static void failingReads(int n) {
        for (int i = 0; i < n; i++) {
            CircuitBreakerMaintenance.get().reset(BackendBreakers.name(Backend.V2));
            get("/api/devices/d-" + i, "key-tenant-" + i).then().statusCode(200).header(BACKEND, "v1");   // read falls back
        }
    }

    private static Response get(String path, String apiKey) {
        return given().header("X-Api-Key", apiKey).get(path);
    }

    @Test
    void shouldSendAllTrafficToV1WhileLatchedPinsToV2Included() {
        applyPolicy(ALL_ON_V2_WITH_PINS);
        get("/api/devices", "key-tenant-early").then().statusCode(200).header(BACKEND, "v2");

        latch.latchByHand("test: V2 misbehaves", "operator@test", null);
        v2.reset();

        for (String key : new String[] {"key-tenant-early", "key-tenant-other", "key-tenant-1", "key-tenant-held"}) {
            get("/api/devices", key).then().statusCode(200).header(BACKEND, "v1");
            given().header("X-Api-Key", key).contentType("application/json").body("{\"name\":\"d\"}")
                    .post("/api/devices").then().statusCode(201).header(BACKEND, "v1");
        }
        assertThat(v2.received()).isEmpty();
        assertThat(registry.get("cutover.rollback.latched").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("cutover.traffic.v2.weight").gauge().value()).isZero();

        latch.release("test: V2 fixed", "operator@test");
        get("/api/devices", "key-tenant-early").then().statusCode(200).header(BACKEND, "v2");
        assertThat(registry.get("cutover.rollback.latched").gauge().value()).isZero();
    }

    @Test
    void shouldLatchWhenAnEvaluationFindsV2FailingThroughTheRouterAndStayLatchedWhenV2Recovers() {
        applyPolicy(ALL_ON_V2_WITH_PINS);
        double tripsBefore = registry.get("cutover.rollback.trips").tag("reason", "error-rate").counter().count();
        v2.mode(TestBackend.Mode.ERROR_500);
        failingReads(30);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(latch.state().by()).isEqualTo("guard");
        assertThat(latch.state().figures().v2().failures()).isGreaterThanOrEqualTo(4);
        assertThat(registry.get("cutover.rollback.trips").tag("reason", "error-rate").counter().count())
                .isEqualTo(tripsBefore + 1);
        v2.reset();
        ticker.advance(Duration.ofMinutes(5));
        guard.evaluate();
        get("/api/devices", "key-tenant-early").then().statusCode(200).header(BACKEND, "v1");
        assertThat(v2.received()).isEmpty();
    }

    @Test
    void shouldLatchOnALatencySpikeOfV2() {
        applyPolicy(ALL_ON_V2_WITH_PINS.replace("v2Weight: 100", "v2Weight: 100").replace("p99LatencyMs: 300", "p99LatencyMs: 100"));
        v2.mode(TestBackend.Mode.SLOW);
        v2.slowMillis(150);
        for (int i = 0; i < 10; i++) {       // the periodic evaluation may latch midway: a few slow calls are enough
            get("/api/devices/d-" + i, "key-tenant-" + i).then().statusCode(200);
        }

        guard.evaluate();
        assertThat(latch.isLatched()).isTrue();
        assertThat(latch.state().cause()).isEqualTo("p99-latency");
        get("/api/devices", "key-tenant-early").then().statusCode(200).header(BACKEND, "v1");
    }

    @Test
    void shouldNotReleaseTheLatchOnAPolicyReload() {
        applyPolicy("v2Weight: 50\n");
        latch.latchByHand("test: hold on V1", "operator@test", null);

        applyPolicy("v2Weight: 100\ntenants: {tenant-early: v2}\n");

        assertThat(latch.isLatched()).isTrue();
        get("/api/devices", "key-tenant-early").then().statusCode(200).header(BACKEND, "v1");
        get("/api/devices", "key-tenant-other").then().statusCode(200).header(BACKEND, "v1");
    }

    @Test
    void shouldLatchByItselfWithinAFewEvaluationIntervalsWithoutAnyoneAskingForAnEvaluation() {
        applyPolicy(ALL_ON_V2_WITH_PINS);
        v2.mode(TestBackend.Mode.ERROR_500);
        failingReads(30);

        // only the periodic evaluation (cutover.rollback.evaluate-interval, 250 ms) can latch here
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(latch::isLatched);
        assertThat(latch.state().by()).isEqualTo("guard");
        assertThat(latch.state().cause()).isEqualTo("error-rate");
        get("/api/devices", "key-tenant-early").then().statusCode(200).header(BACKEND, "v1");
    }

    /**
     * The scenario, scaled to the test profile's V2 breaker (request-volume 4, failure-ratio
     * 0.5): a burst the evidence does not support, then healthy traffic.
     */
    @Test
    void shouldNotLatchWhenABurstBelowMinRequestsIsFollowedByHealthyTrafficAfterTheWindow() {
        applyPolicy("v2Weight: 100\nrollback:\n  errorRate: 0.2\n  minRequests: 4\n  window: 10s\n");
        v2.mode(TestBackend.Mode.ERROR_500);
        get("/api/devices/d-1", "key-tenant-1").then().statusCode(200).header(BACKEND, "v1");
        get("/api/devices/d-2", "key-tenant-2").then().statusCode(200).header(BACKEND, "v1");
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        v2.reset();
        ticker.advance(Duration.ofSeconds(11));

        for (int i = 0; i < 60; i++) {
            get("/api/devices/d-" + i, "key-tenant-" + i).then().statusCode(200).header(BACKEND, "v2");
        }

        assertThat(guard.evaluate().kind()).as("2 failures then 60 successes").isEqualTo(Verdict.Kind.HEALTHY);
        assertThat(latch.isLatched()).isFalse();
        assertThat(v2.received()).hasSize(60);
    }
}
