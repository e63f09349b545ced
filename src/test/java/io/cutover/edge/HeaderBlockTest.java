package io.cutover.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.observability.MetricNames;
import io.cutover.resilience.BackendBreakers;
import io.cutover.routing.Backend;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RawHttp;
import io.cutover.testing.RawHttp.Answer;
import io.cutover.testing.TestBackend.Canned;
import io.cutover.testing.TestBackend.Received;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * A header block larger than a backend takes (issue 12 item 2): the router refuses what it would not forward, and a
 * backend that refuses a request and closes its connection never costs another request a 502 nor counts as failing.
 */
@QuarkusTest
class HeaderBlockTest extends ProxyTestBase {

    @Inject
    BackendBreakers breakers;

    @Inject
    MeterRegistry registry;

    /** Calls to V2 that ended as "reset" (a failure against its breaker and the rollback guard). */
    private double v2Resets() {
        return registry.find(MetricNames.REQUESTS).tag(MetricNames.TAG_BACKEND, "v2").tag(MetricNames.TAG_OUTCOME, "reset")
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static String get(String target, String extraHeaders) {
        return "GET " + target + " HTTP/1.1\r\nHost: router\r\n" + extraHeaders + "\r\n";
    }

    private void assertNobodyLooksUnhealthy() {
        assertThat(latch.isLatched()).isFalse();
        assertThat(breakers.state(Backend.V1)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breakers.state(Backend.V2)).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void shouldAnswer431ItselfToAHeaderBlockAboveItsLimitAndServeWhatIsPipelinedOnOtherConnections() {
        applyPolicy("v2Weight: 100\n");
        double resets = v2Resets();
        for (int i = 0; i < 30; i++) {
            Answer big = RawHttp.send(get("/api/devices", "X-Big: " + "a".repeat(12_000) + "\r\n")
                    + get("/api/devices?after=big", ""));
            assertThat(big.status()).isEqualTo(431);
            assertThat(big.closed()).isTrue();
            assertThat(big.answers()).as("nothing pipelined behind it is read").isEqualTo(1);
            assertThat(RawHttp.send(get("/api/devices?ordinary=" + i, "Connection: close\r\n")).status()).isEqualTo(200);
        }
        assertThat(v2.received()).extracting(Received::uri).hasSize(30).allMatch(u -> u.startsWith("/api/devices?ordinary="));
        assertThat(v1.received()).as("no fallback: V2 never failed").isEmpty();
        assertThat(v2Resets() - resets).isZero();
        assertNobodyLooksUnhealthy();
    }

    @Test
    void shouldTakeAHeaderBlockJustUnderItsLimitWithWhatItAddsStillUnderEightKilobytes() {
        applyPolicy("v2Weight: 100\n");
        // 7 KiB of header lines from the client; the router adds X-Forwarded-*, the tenant: the backend (Vert.x, 8 KiB) takes it
        String pad = "X-Pad: " + "a".repeat(7 * 1024 - 200) + "\r\n";
        Answer a = RawHttp.send(get("/api/devices", pad + "Connection: close\r\n"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(v2.received()).hasSize(1);
    }

    @Test
    void shouldNeverLetABackendsRefusalAndCloseCostTheNextRequestA502() {
        applyPolicy("v2Weight: 100\n");
        // V2 refuses some requests as a backend with a smaller header limit would: 431, then it closes the connection
        v2.respond(r -> r.uri().contains("refuse") ? new Canned(431, "{\"error\":\"too large\"}", true)
                : new Canned(200, "{\"ok\":true}"));
        double resets = v2Resets();
        for (int i = 0; i < 40; i++) {
            Answer a = RawHttp.send(get("/api/devices?refuse=" + i, "") + get("/api/devices?next=" + i, "Connection: close\r\n"));
            assertThat(a.status()).as("round %d: the backend's refusal", i).isEqualTo(431);
            assertThat(a.closed()).as("round %d: the client's connection closes after it", i).isTrue();
            assertThat(a.answers()).as("round %d: nothing pipelined behind it is read", i).isEqualTo(1);
            Answer next = RawHttp.send(get("/api/devices?next=" + i, "Connection: close\r\n"));
            assertThat(next.status()).as("round %d: the next request, on a fresh connection", i).isEqualTo(200);
        }
        assertThat(v2.received()).as("every request reached V2").hasSize(80);
        assertThat(v1.received()).as("no fallback: V2 never failed").isEmpty();
        assertThat(v2Resets() - resets).as("no reset counted against V2").isZero();
        assertNobodyLooksUnhealthy();
    }
}
