package io.cutover.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.observability.MetricNames;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RawHttp;
import io.cutover.testing.TestBackend.Received;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients through the running router (header timeout 1 s, at most 60 connections waiting for a head): raw
 * sockets that send a head one byte every 200 ms are closed after the timeout, the oldest waiting ones at once
 * beyond the limit, while ordinary clients are served and no backend sees a request of a slow connection.
 */
@QuarkusTest
@TestProfile(SlowClientTest.ShortTimeout.class)
class SlowClientTest extends ProxyTestBase {

    static final int MAX_HALF_OPEN = 60;

    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cutover.edge.header-timeout", "1s", "cutover.edge.max-half-open", "" + MAX_HALF_OPEN);
        }
    }

    @Inject
    SlowClientGuard guard;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @BeforeEach
    void noConnectionWaitsForAHead() {
        // connections of earlier tests (and of the set-up's clients) have timed out or been used
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).until(() -> guard.halfOpen() == 0);
    }

    private double closed(String reason) {
        Counter c = registry.find(MetricNames.EDGE_SLOW_CLIENTS_CLOSED).tag(MetricNames.TAG_REASON, reason).counter();
        return c == null ? 0 : c.count();
    }

    private void assertNoBackendSawASlowRequest() {
        assertThat(v1.received()).extracting(Received::uri).noneMatch(u -> u.contains("slow"));
        assertThat(v2.received()).extracting(Received::uri).noneMatch(u -> u.contains("slow"));
    }

    @Test
    void shouldCloseFiftyDribblingConnectionsAfterTheTimeoutWhileServingAnOrdinaryClient() {
        double timeoutsBefore = closed("timeout");
        double limitBefore = closed("limit");
        try (SlowLoris loris = new SlowLoris("slow-timeout", 200)) {
            List<SlowLoris.Conn> slow = loris.open(50);
            await().atMost(Duration.ofSeconds(1)).until(() -> guard.halfOpen() >= 50);

            RawHttp.Answer ordinary = RawHttp.send("GET /api/devices HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n");
            assertThat(ordinary.status()).as("an ordinary client during the attack").isEqualTo(200);
            assertThat(v1.received()).extracting(Received::uri).containsExactly("/api/devices");

            // eventually closed: by the header timeout (408 and counted so), not by anything else
            CompletableFuture.allOf(slow.stream().map(c -> c.closedNanos).toArray(CompletableFuture[]::new))
                    .orTimeout(20, TimeUnit.SECONDS).join();
            for (SlowLoris.Conn c : slow) {
                assertThat(c.answer()).as("a client that sent part of a head learns why").startsWith("HTTP/1.1 408 ");
                assertThat(c.sent).as("it was still sending").isGreaterThan(3);
            }
        }
        assertNoBackendSawASlowRequest();
        assertThat(closed("timeout") - timeoutsBefore).isGreaterThanOrEqualTo(50);
        assertThat(closed("limit") - limitBefore).as("50 waiting connections are within the limit").isZero();
    }

    @Test
    void shouldKeepAKeepAliveConnectionThatSendsItsRequestsInTimeAlsoWhenItIdlesPastTheTimeout() {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(1)
                .setDefaultHost("127.0.0.1").setDefaultPort(RestAssured.port));
        try {
            CompletableFuture<Long> closedAt = new CompletableFuture<>();
            HttpConnection first = null;
            // one request every 600 ms, then a pause of 2.2 s (twice the timeout: an idle keep-alive pause is not
            // a slow head), then one more: all on the same connection
            long[] pauses = {600, 600, 600, 2200, 0};
            for (int i = 0; i < pauses.length; i++) {
                HttpConnection conn = request(client);
                if (first == null) {
                    first = conn;
                    conn.closeHandler(v -> closedAt.complete(System.nanoTime()));
                }
                assertThat(conn).as("request %d on the same connection", i).isSameAs(first);
                sleepMillis(pauses[i]);           // the client's pace, not a wait for a window
            }
            assertThat(closedAt).as("the router never closed it").isNotDone();
            assertThat(guard.halfOpen()).as("an idle keep-alive connection is not half-open").isZero();
        } finally {
            client.close();
        }
        assertThat(v1.received()).hasSize(5);
    }

    @Test
    void shouldCloseAKeepAliveConnectionWhoseNextHeadDribblesPastTheTimeout() {
        double timeoutsBefore = closed("timeout");
        try (SlowLoris loris = new SlowLoris("slow-second", 200)) {
            List<SlowLoris.Conn> conns = loris.open(5, "GET /api/devices?first HTTP/1.1\r\nHost: router\r\n\r\n");
            CompletableFuture.allOf(conns.stream().map(c -> c.closedNanos).toArray(CompletableFuture[]::new))
                    .orTimeout(20, TimeUnit.SECONDS).join();
            for (SlowLoris.Conn c : conns) {
                assertThat(c.answer()).as("the first request is served").startsWith("HTTP/1.1 200 ")
                        .as("the slow second head is not: the header timeout closed it").contains("HTTP/1.1 408 ");
            }
        }
        assertThat(v1.received()).extracting(Received::uri).containsOnly("/api/devices?first").hasSize(5);
        assertNoBackendSawASlowRequest();
        assertThat(closed("timeout") - timeoutsBefore).isGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldCloseTheOldestWaitingConnectionsAtOnceBeyondTheLimit() {
        double limitBefore = closed("limit");
        try (SlowLoris loris = new SlowLoris("slow-limit", 200)) {
            List<SlowLoris.Conn> oldest = loris.open(MAX_HALF_OPEN);
            await().atMost(Duration.ofSeconds(5)).until(() -> guard.halfOpen() == MAX_HALF_OPEN);
            double timeoutsBefore = closed("timeout");
            List<SlowLoris.Conn> newest = loris.open(10);

            // at once, not at the header timeout: closed for the limit (503 or nothing), and no timeout has closed any
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> closed("limit") - limitBefore >= 10);
            assertThat(closed("timeout")).as("the limit came first").isEqualTo(timeoutsBefore);
            assertThat(oldest.stream().filter(SlowLoris.Conn::closed).count()).isEqualTo(10);
            assertThat(newest).as("the newest are not the ones closed").noneMatch(SlowLoris.Conn::closed);
            assertThat(closed("limit") - limitBefore).isEqualTo(10);
            assertThat(guard.halfOpen()).isEqualTo(MAX_HALF_OPEN);
            oldest.stream().filter(SlowLoris.Conn::closed).forEach(c ->
                    assertThat(c.answer()).satisfiesAnyOf(a -> assertThat(a).isEmpty(),
                            a -> assertThat(a).startsWith("HTTP/1.1 503 ")));

            RawHttp.Answer ordinary = RawHttp.send("GET /api/devices HTTP/1.1\r\nHost: router\r\nConnection: close\r\n\r\n");
            assertThat(ordinary.status()).as("an ordinary client while the limit is reached").isEqualTo(200);
        }
        assertNoBackendSawASlowRequest();
    }

    private static HttpConnection request(HttpClient client) {
        return client.request(HttpMethod.GET, "/api/devices")
                .compose(req -> req.send().compose(resp -> {
                    assertThat(resp.statusCode()).isEqualTo(200);
                    return resp.body();
                }).map(body -> req.connection()))
                .toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
