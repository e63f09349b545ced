package io.cutover.resilience;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.routing.Backend;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * V2's breaker (test profile: request-volume 4, failure-ratio 0.5, window the default 10 s) judges
 * recent calls only, through the router, on the injected ticker.
 */
@QuarkusTest
class BreakerWindowTest extends ProxyTestBase {

    private static final String BACKEND = "X-Cutover-Backend";

    @Inject
    BackendBreakers breakers;

    private String read(int i) {
        return given().header("X-Api-Key", "key-tenant-" + i).get("/api/devices/d-" + i)
                .then().statusCode(200).extract().header(BACKEND);
    }

    @Test
    void shouldNotOpenOnFailuresOlderThanTheBreakerWindow() {
        applyPolicy("v2Weight: 100\n");
        v2.mode(TestBackend.Mode.ERROR_500);
        assertThat(read(1)).isEqualTo("v1");                     // falls back
        assertThat(read(2)).isEqualTo("v1");
        v2.reset();
        ticker.advance(Duration.ofSeconds(11));

        for (int i = 0; i < 8; i++) {
            assertThat(read(10 + i)).as("read %d after V2 recovered", i).isEqualTo("v2");
        }
        assertThat(breakers.state(Backend.V2)).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void shouldStillOpenOnFailuresInsideTheBreakerWindow() {
        applyPolicy("v2Weight: 100\n");
        v2.mode(TestBackend.Mode.ERROR_500);
        read(1);
        read(2);
        v2.reset();
        ticker.advance(Duration.ofSeconds(5));

        assertThat(read(3)).isEqualTo("v2");
        assertThat(read(4)).isEqualTo("v2");                     // 4 calls, 2 failures: opens
        assertThat(breakers.state(Backend.V2)).isEqualTo(CircuitBreakerState.OPEN);
        int before = v2.received().size();
        assertThat(read(5)).isEqualTo("v1");                     // short-circuited
        assertThat(v2.received()).hasSize(before);
        assertThat(breakers.openedByCallsSince(Backend.V2)).isLessThanOrEqualTo(ticker.nanos() - Duration.ofSeconds(5).toNanos());
    }
}
