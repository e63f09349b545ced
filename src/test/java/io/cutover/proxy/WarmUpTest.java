package io.cutover.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.observability.MetricNames;
import io.cutover.testing.Backends;
import io.cutover.testing.TestBackend;
import io.cutover.testing.TestTicker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The router warms its request path up before it reports ready, by sending itself requests through its own port to a
 * stand-in backend: not ready (but live, and serving a client who comes anyway) while it does, none of those requests
 * reaching V1 or V2 or counting anywhere, and ready once it is done.
 */
@QuarkusTest
@TestProfile(WarmUpTest.Warming.class)
@QuarkusTestResource(Backends.class)
class WarmUpTest {

    /** A warm-up that would run for an hour: the test ends it by moving the ticker past its bound. */
    public static class Warming implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cutover.warm-up.enabled", "true", "cutover.warm-up.requests", String.valueOf(Integer.MAX_VALUE),
                    "cutover.warm-up.max-duration", "1h", "cutover.warm-up.connections", "2");
        }
    }

    @Inject
    TestTicker ticker;
    @Inject
    MeterRegistry registry;
    @Inject
    Pool pool;
    @Inject
    io.cutover.rollback.RollbackGuard guard;

    private static JsonPath warmUpCheck(JsonPath health) {
        return new JsonPath(health.prettify()).setRootPath("checks.find { it.name == 'warm-up' }");
    }

    private double requestsCounted() {
        return registry.find(MetricNames.REQUESTS).counters().stream().mapToDouble(Counter::count).sum();
    }

    private long outboxRows() {
        return pool.query("SELECT count(*) FROM cutover_outbox").execute().toCompletionStage().toCompletableFuture().join()
                .iterator().next().getLong(0);
    }

    @Test
    void shouldBeNotReadyButLiveWhileWarmingUpWithoutAnyWarmUpRequestReachingABackendOrCountingThenReady() {
        pool.query("TRUNCATE cutover_outbox, cutover_outbox_queue").execute().toCompletionStage().toCompletableFuture().join();
        TestBackend v1 = Backends.v1();
        TestBackend v2 = Backends.v2();
        // with V2 taking half the traffic and dual write on, a request that went the usual way would reach V2 or the outbox
        Backends.writePolicy("v2Weight: 50\nstickyBy: tenant\ndualWrite: true\n");

        io.cutover.testing.AccessLines access = io.cutover.testing.AccessLines.capture();
        JsonPath health = JsonPath.from(given().get("/q/health/ready").then().statusCode(503).extract().asString());
        assertThat(warmUpCheck(health).getString("status")).isEqualTo("DOWN");
        given().get("/q/health/live").then().statusCode(200);
        // the warm-up's requests go through the router: the count it reports goes up
        await().atMost(Duration.ofSeconds(30)).until(() -> sentSoFar() > 2000);

        assertThat(v1.received()).as("V1 saw only the readiness probe's /health")
                .allSatisfy(r -> assertThat(r.uri()).isEqualTo("/health"));
        assertThat(v2.received()).as("V2 saw nothing").isEmpty();
        assertThat(requestsCounted()).as("no request counted in the metrics").isZero();
        assertThat(guard.figures().v1().requests() + guard.figures().v2().requests()).as("no call in the rollback guard's evidence")
                .isZero();
        assertThat(outboxRows()).as("no outbox row").isZero();

        // a client that comes anyway is served as always, a made-up warm-up header changing nothing
        given().header("X-Tenant-Id", "tenant-1").get("/api/devices/d-1").then().statusCode(200);
        given().header("X-Cutover-Warm-Up", "0123456789abcdef0123456789abcdef").header("X-Api-Key", "key-tenant-2")
                .get("/api/devices/d-2").then().statusCode(200);
        // counted once each answer has gone out (the two, and nothing of the warm-up going on all the while)
        await().atMost(Duration.ofSeconds(5)).until(() -> requestsCounted() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> access.lines().size() >= 2);
        assertThat(access.lines()).as("access-log lines: the two clients'").extracting(l -> l.get("path").asText())
                .containsExactlyInAnyOrder("/api/devices/d-1", "/api/devices/d-2");
        access.close();

        ticker.advance(Duration.ofHours(1));    // the warm-up's bound passes
        await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        health = JsonPath.from(given().get("/q/health/ready").then().extract().asString());
        assertThat(warmUpCheck(health).getString("status")).isEqualTo("UP");
        assertThat(warmUpCheck(health).getString("data.warm-up")).matches("\\d+ requests in \\d+ ms");
        assertThat(java.util.stream.Stream.concat(v1.received().stream(), v2.received().stream())
                .filter(r -> !r.uri().equals("/health")).map(TestBackend.Received::uri))
                .as("the backends saw the two clients' requests, nothing of the warm-up")
                .containsExactlyInAnyOrder("/api/devices/d-1", "/api/devices/d-2");
        assertThat(outboxRows()).isZero();
    }

    private static long sentSoFar() {
        String data = warmUpCheck(JsonPath.from(given().get("/q/health/ready").then().extract().asString()))
                .getString("data.warm-up");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("running: (\\d+) of").matcher(data);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
