package io.cutover.dualwrite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.testing.AccessLines;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Mode;
import io.cutover.testing.TestBackend.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dual write through the real router, a real PostgreSQL outbox and two real backends. */
@QuarkusTest
class DualWriteTest extends ProxyTestBase {

    @Inject
    Pool pool;

    private AccessLines log;

    @BeforeEach
    void captureAccessLog() {
        log = AccessLines.capture();
    }

    @AfterEach
    void releaseAccessLog() {
        log.close();
    }

    @BeforeEach
    void emptyOutboxAndDualWriteOn() {
        pool.query("TRUNCATE cutover_outbox, cutover_outbox_queue").execute().toCompletionStage().toCompletableFuture().join();
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
    }

    @AfterEach
    void drained() {
        v1.mode(Mode.ECHO);
        v2.up();
        v2.mode(Mode.ECHO);
        awaitOutboxDrained();
    }

    private void awaitOutboxDrained() {
        await().atMost(Duration.ofSeconds(15)).until(() -> count("state IN ('unconfirmed','pending')") == 0);
    }

    private long count(String where) {
        return pool.query("SELECT count(*) FROM cutover_outbox WHERE " + where).execute()
                .toCompletionStage().toCompletableFuture().join().iterator().next().getLong(0);
    }

    private static int put(String device, int seq) {
        return given().contentType("application/json").body(new JsonObject().put("seq", seq).encode())
                .put("/api/devices/" + device).statusCode();
    }

    /** The successful deliveries a backend received, in order (the last attempt of each key). */
    private static List<Received> writes(TestBackend b) {
        return b.received().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    @Test
    void shouldAnswerTheClientWithoutWaitingForTheSecondary() {
        v2.mode(Mode.HANG);             // the secondary takes every write and answers none
        for (int i = 0; i < 7; i++) {
            assertThat(put("d-hang", i)).isEqualTo(200);
        }
        // all seven answered while the secondary had answered none of them: their intents wait in the outbox
        assertThat(writes(v1)).hasSize(7);
        assertThat(count("state = 'done'")).isZero();
        await().atMost(Duration.ofSeconds(15)).until(() -> !writes(v2).isEmpty());    // and it was called
        assertThat(count("state = 'done'")).isZero();
        v2.mode(Mode.ECHO);
        awaitOutboxDrained();
        assertThat(count("state = 'done'")).isEqualTo(7);
    }

    @Test
    void shouldDeliverEveryAcknowledgedWriteOnceTheSecondaryIsBackWithTheSameKeyOnEveryAttempt() {
        v2.mode(Mode.ERROR_500);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = i % 2 == 0 ? "client-key-" + i : null; // half bring their own key
            var req = given().contentType("application/json").body("{\"n\":" + i + "}");
            if (key != null) {
                req.header("Idempotency-Key", key);
            }
            assertThat(req.put("/api/devices/dev-" + i).statusCode()).isEqualTo(200);
        }
        List<Received> atPrimary = writes(v1);
        assertThat(atPrimary).hasSize(20).allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isNotBlank());
        assertThat(atPrimary.get(0).header("Idempotency-Key")).isEqualTo("client-key-0");
        // every row tried at least once: V2 answers 500 (an attempt), then its breaker opens and refuses the
        // rest (not an attempt: the row goes out again at the first backoff step); each row keeps why
        await().atMost(Duration.ofSeconds(5)).until(() -> count("last_error IS NOT NULL") == 20);
        assertThat(count("attempts >= 1")).as("rows V2 itself answered 500").isPositive();
        v2.mode(Mode.ECHO);
        awaitOutboxDrained();
        Map<String, List<Received>> byKey = writes(v2).stream()
                .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), LinkedHashMap::new, Collectors.toList()));
        Map<String, String> primaryBodies = atPrimary.stream()
                .collect(Collectors.toMap(r -> r.header("Idempotency-Key"), Received::body));
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(primaryBodies.keySet());
        byKey.forEach((key, attempts) -> assertThat(attempts).allSatisfy(a -> {
            assertThat(a.body()).isEqualTo(primaryBodies.get(key));
            assertThat(a.header("X-Tenant-Id")).isEqualTo("default_tenant_id");
        }));
        assertThat(count("state = 'done'")).isEqualTo(20);
    }

    @Test
    void shouldKeepTheOrderOfAnEntitysWritesAcrossRetries() {
        v2.down();
        for (int seq = 0; seq < 10; seq++) {
            assertThat(put("d-ordered", seq)).isEqualTo(200);
            assertThat(put("d-other", seq)).isEqualTo(200);
        }
        v2.up();
        awaitOutboxDrained();
        for (String device : List.of("d-ordered", "d-other")) {
            List<Integer> seqs = writes(v2).stream().filter(r -> r.uri().endsWith(device))
                    .map(r -> new JsonObject(r.body()).getInteger("seq")).toList();
            assertThat(seqs).as(device).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void shouldGiveTheSecondaryTheIdThePrimaryCreated() {
        String id = given().contentType("application/json").body("{\"name\":\"n\",\"type\":\"thermo\"}")
                .post("/api/devices").then().statusCode(201).extract().path("id");
        assertThat(id).startsWith("v1-");
        awaitOutboxDrained();
        Received atV2 = writes(v2).get(0);
        assertThat(new JsonObject(atV2.body()).getString("id")).isEqualTo(id);
        assertThat(new JsonObject(atV2.body()).getString("name")).isEqualTo("n");
        String reading = given().contentType("application/json").body("{\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{}}")
                .post("/api/devices/" + id + "/telemetry").then().statusCode(201).extract().path("id");
        awaitOutboxDrained();
        assertThat(new JsonObject(writes(v2).get(1).body()).getString("id")).isEqualTo(reading);
    }

    @Test
    void shouldNeverSendAWriteThePrimaryRejectedToTheSecondary() {
        v1.mode(Mode.ERROR_500);
        given().contentType("application/json").body("{}").put("/api/devices/d-rejected").then().statusCode(500);
        await().atMost(Duration.ofSeconds(2)).until(() -> count("state = 'cancelled'") == 1);
        assertThat(count("state <> 'cancelled'")).isZero();
        assertThat(writes(v2)).isEmpty();
    }

    @Test
    void shouldWriteToV1AsSecondaryOnceATenantIsOnV2() {
        applyPolicy("v2Weight: 100\ndualWrite: true\n");
        assertThat(put("d-reverse", 1)).isEqualTo(200);
        awaitOutboxDrained();
        assertThat(writes(v2)).hasSize(1);
        assertThat(writes(v1)).singleElement().satisfies(r -> assertThat(r.header("X-Tenant-Id")).isNull());
    }

    @Test
    void shouldNotApplyOnV1ARetryOfAWriteThatMayHaveReachedV2WhileV2IsAway() {
        applyPolicy("v2Weight: 100\ndualWrite: true\n");
        v2.mode(Mode.RESET_MID_RESPONSE); // V2 takes the write, and its answer is lost
        var first = given().contentType("application/json").header("Idempotency-Key", "k-doubt").body("{\"n\":1}")
                .put("/api/devices/d-doubt");
        assertThat(first.statusCode()).as("the client does not know whether V2 has it").isEqualTo(502);
        v2.down();

        var retry = given().contentType("application/json").header("Idempotency-Key", "k-doubt").body("{\"n\":1}")
                .put("/api/devices/d-doubt");
        assertThat(retry.statusCode()).as("not applied on V1 instead: V2 may have it").isEqualTo(503);
        assertThat(retry.header("Retry-After")).isNotBlank();
        assertThat(retry.asString()).contains("same Idempotency-Key");
        assertThat(writes(v1)).as("V1 never got the write").isEmpty();
        // the SRE who greps the access log for 5xx finds the refusal, and why
        JsonNode refused = await().atMost(Duration.ofSeconds(5))
                .until(() -> log.of("/api/devices/d-doubt").stream().filter(l -> l.get("status").asInt() == 503).toList(),
                        l -> !l.isEmpty()).get(0);
        assertThat(refused.get("refusal").asText()).isEqualTo("in-doubt");
        assertThat(refused.get("backend").asText()).as("the side the write waits for").isEqualTo("v2");
        assertThat(refused.get("outcome").asText()).as("what the attempt on V2 met").isIn("connect-error", "breaker-open");
        assertThat(refused.get("outbox_id").isTextual()).as("the id of this attempt's intent, cancelled").isTrue();

        // another write, never tried before, still falls back to V1 while V2 is away
        given().contentType("application/json").header("Idempotency-Key", "k-fresh").body("{\"n\":2}")
                .put("/api/devices/d-fresh").then().statusCode(200).header("X-Cutover-Backend", "v1");

        v2.up();
        v2.mode(Mode.ECHO);
        // once V2's breaker lets calls through again, the retry goes to V2 (which replays or applies it)
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).until(() -> {
            var r = given().contentType("application/json").header("Idempotency-Key", "k-doubt").body("{\"n\":1}")
                    .put("/api/devices/d-doubt");
            assertThat(r.statusCode()).as(r.asString()).isIn(200, 503);
            return r.statusCode() == 200 && "v2".equals(r.header("X-Cutover-Backend"));
        });
        assertThat(writes(v1)).extracting(Received::uri).as("V1 took the doubtful write from no client")
                .doesNotContain("/api/devices/d-doubt").contains("/api/devices/d-fresh");
        // the first attempt's intent stays in doubt until its grace ends (then its primary is asked): not this test's
        pool.query("DELETE FROM cutover_outbox WHERE state = 'unconfirmed'").execute().toCompletionStage().toCompletableFuture().join();
    }

    /** Writes sent to V1 because their entity's earlier copies wait towards V2 (a counter as old as the application). */
    private double outboxOrderDecisions() {
        var c = registry.find(io.cutover.observability.MetricNames.ROUTING_DECISIONS)
                .tags(io.cutover.observability.MetricNames.TAG_BACKEND, "v1", io.cutover.observability.MetricNames.TAG_REASON, "outbox-order")
                .counter();
        return c == null ? 0 : c.count();
    }

    /** A row as an earlier write left it in the outbox: {@code state} towards {@code target}, created {@code age} ago. */
    private void queued(String state, String target, String method, String uri, String body, String key, String entity,
                        String nextAttemptIn, String age) {
        pool.query("INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant, idempotency_key,"
                        + " entity_key, next_attempt_at, created_at, updated_at) VALUES (gen_random_uuid(), '" + state + "', '"
                        + target + "', '" + method + "', '" + uri + "', '{\"Content-Type\": \"application/json\"}',"
                        + " convert_to('" + body + "', 'UTF8'), 'default_tenant_id', '" + key + "', '" + entity + "',"
                        + " now() + interval '" + nextAttemptIn + "', now() - interval '" + age + "', now() - interval '" + age + "')")
                .execute().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void shouldSendAWriteToTheSideThatHasItsEntitysEarlierWritesWhileTheirCopiesAreQueuedTowardsTheOther() {
        // d-moved's earlier write went to V1 and its copy still waits for V2 (V2 was down; it retries in a while)
        queued("pending", "v2", "PUT", "/api/devices/d-moved", "{\"seq\":0}", "k-earlier", "device:d-moved", "1 hour", "0");
        applyPolicy("v2Weight: 100\ndualWrite: true\n");
        double orderedBefore = outboxOrderDecisions();

        given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-moved")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
        given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-fresh")
                .then().statusCode(200).header("X-Cutover-Backend", "v2");
        assertThat(outboxOrderDecisions() - orderedBefore).as("one write routed by the outbox order").isEqualTo(1);

        // its retry time comes: the entity's queue (the head tracking of ordered rows) is due again
        pool.query("UPDATE cutover_outbox_queue SET due_at = now() WHERE entity_key = 'device:d-moved'").execute()
                .toCompletionStage().toCompletableFuture().join();
        awaitOutboxDrained();
        List<Integer> atV2 = writes(v2).stream().filter(r -> r.uri().endsWith("d-moved"))
                .map(r -> new JsonObject(r.body()).getInteger("seq")).toList();
        assertThat(atV2).as("V2 ends with the newest write, not the queued older one").containsExactly(0, 1);
    }

    @Test
    void shouldNotFallBackToV1AWriteWhoseEntitysEarlierCopiesAreStillOnTheirWayToV1() {
        applyPolicy("v2Weight: 100\ndualWrite: true\n");
        // d-behind's earlier write went to V2 and its copy still waits for V1 (V1 refused it a while ago; retried in an hour)
        queued("pending", "v1", "PUT", "/api/devices/d-behind", "{\"seq\":0}", "k-earlier", "device:d-behind", "1 hour", "0");
        v2.down();

        var refused = given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-behind");
        assertThat(refused.statusCode()).as("applied on V1 now, it would be overwritten there by the older copy; it waited"
                + " cutover.outbox.order-wait (2 s) for it").isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.asString()).contains("still on their way to v1");
        assertThat(writes(v1)).as("V1 never got it").isEmpty();
        JsonNode line = await().atMost(Duration.ofSeconds(5))
                .until(() -> log.of("/api/devices/d-behind").stream().filter(l -> l.get("status").asInt() == 503).toList(),
                        l -> !l.isEmpty()).get(0);
        assertThat(line.get("refusal").asText()).isEqualTo("outbox-order");
        assertThat(line.get("backend").asText()).as("the side the write could not reach").isEqualTo("v2");
        // an entity with nothing on its way to V1 still falls back to V1 while V2 is away
        given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-clear")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");

        // the older copy's retry time comes: the worker sends it to V1; then the client's retry goes there after it
        pool.query("UPDATE cutover_outbox_queue SET due_at = now() WHERE entity_key = 'device:d-behind'").execute()
                .toCompletionStage().toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(15)).until(() -> count("target = 'v1' AND entity_key = 'device:d-behind'"
                + " AND state IN ('unconfirmed', 'pending')") == 0);
        given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-behind")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
        assertThat(writes(v1).stream().filter(r -> r.uri().endsWith("d-behind")).map(r -> new JsonObject(r.body()).getInteger("seq")))
                .as("V1 ends with the client's write, after the older copy").containsExactly(0, 1);
    }

    @Test
    void shouldHoldAWriteThatFallsBackToV1UntilItsEntitysEarlierCopyHasArrivedThere() {
        applyPolicy("v2Weight: 100\ndualWrite: true\n");
        v2.down();
        // a first fallback, of another device, prepares the router's statements (a cold first one may pass its bound)
        given().contentType("application/json").body("{\"seq\":0}").put("/api/devices/d-first")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
        // d-soon's earlier write went to V2; its copy goes to V1 in the worker's round a second from now
        queued("pending", "v1", "PUT", "/api/devices/d-soon", "{\"seq\":0}", "k-earlier", "device:d-soon", "1 second", "0");

        given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-soon")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");

        assertThat(writes(v1).stream().filter(r -> r.uri().endsWith("d-soon")).map(r -> new JsonObject(r.body()).getInteger("seq")))
                .as("the client's write waited for the older copy (cutover.outbox.order-wait) and went after it").containsExactly(0, 1);
    }

    @Test
    void shouldAskAWriteToWaitWhileTheRollbackLatchHoldsItOnV1AndItsEarlierCopiesAreStillOnTheirWayThere() {
        applyPolicy("v2Weight: 100\ndualWrite: true\n");
        queued("pending", "v1", "PUT", "/api/devices/d-latched", "{\"seq\":0}", "k-earlier", "device:d-latched", "1 hour", "0");
        latch.latchByHand("test: V2 misbehaves", "operator@test", null);

        var refused = given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-latched");
        assertThat(refused.statusCode()).as("the latch keeps it from V2, the older copy would overwrite it on V1").isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(writes(v1)).isEmpty();
        assertThat(writes(v2)).isEmpty();
        assertThat(count("entity_key = 'device:d-latched'")).as("no intent recorded for it").isEqualTo(1);
        // a reading of that device is its own resource, which nothing overwrites: it goes to V1
        given().contentType("application/json").body("{\"t\":1}").post("/api/devices/d-latched/telemetry")
                .then().statusCode(201).header("X-Cutover-Backend", "v1");

        pool.query("UPDATE cutover_outbox_queue SET due_at = now() WHERE entity_key = 'device:d-latched'").execute()
                .toCompletionStage().toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(15)).until(() -> count("target = 'v1' AND entity_key = 'device:d-latched'"
                + " AND ordered AND state IN ('unconfirmed', 'pending')") == 0);
        given().contentType("application/json").body("{\"seq\":1}").put("/api/devices/d-latched")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
        assertThat(writes(v1).stream().filter(r -> r.uri().endsWith("d-latched")).map(r -> new JsonObject(r.body()).getInteger("seq")))
                .containsExactly(0, 1);
        latch.release("test: done", "operator@test");
    }

    @Test
    void shouldAskThePrimaryAgainForTheIdOfACreateWhoseAnswerWasNeverRecorded() {
        // a router died between V1's answer to a create and recording it: the intent has the client's body, no id
        v1.respond(r -> r.method().equals("POST") ? new TestBackend.Canned(201, "{\"id\":\"v1-given\",\"name\":\"n\"}") : new TestBackend.Canned(200, "{}"));
        queued("unconfirmed", "v2", "POST", "/api/devices", "{\"name\":\"n\",\"type\":\"t\"}", "k-crashed",
                "tenant:default_tenant_id", "0 seconds", "1 hour");
        awaitOutboxDrained();

        assertThat(writes(v1)).singleElement().satisfies(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("k-crashed"));
        assertThat(writes(v2)).singleElement().satisfies(r -> {
            assertThat(new JsonObject(r.body()).getString("id")).as("the id V1 gave, not one V2 makes up").isEqualTo("v1-given");
            assertThat(r.header("Idempotency-Key")).isEqualTo("k-crashed");
        });
    }

    @Test
    void shouldCancelAnUnrecordedCreateThePrimaryRefuses() {
        v1.respond(r -> r.method().equals("POST") ? new TestBackend.Canned(422, "{\"error\":\"name is required\"}") : new TestBackend.Canned(200, "{}"));
        queued("unconfirmed", "v2", "POST", "/api/devices", "{\"type\":\"t\"}", "k-refused",
                "tenant:default_tenant_id", "0 seconds", "1 hour");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("state = 'cancelled'") == 1);
        assertThat(writes(v2)).isEmpty();
        assertThat(count("state = 'failed'")).isZero();
    }

    @Test
    void shouldNotRecordWritesWhenDualWriteIsOff() {
        applyPolicy("v2Weight: 0\ndualWrite: false\n");
        assertThat(put("d-off", 1)).isEqualTo(200);
        assertThat(count("true")).isZero();
    }

    @Test
    void shouldLetTwoRoutersDrainOneOutboxWithoutDuplicatesOrReordering() throws Exception {
        v2.down();
        int devices = 8;
        int perDevice = 15;
        for (int seq = 0; seq < perDevice; seq++) {
            for (int d = 0; d < devices; d++) {
                assertThat(put("d-shared-" + d, seq)).isEqualTo(200);
            }
        }
        // each answered write's intent is settled (pending) off the client's path, a batch flush after the answer
        await().atMost(Duration.ofSeconds(10)).until(() -> count("state = 'pending'") == devices * perDevice);
        v2.up();
        // A second router instance: another worker (its own id) on the same outbox, draining at the
        // same time as this router's own worker.
        OutboxWorker other = new OutboxWorker(outbox, sender, config, java.time.Clock.systemUTC(), vertx, registry);
        List<java.util.concurrent.CompletableFuture<Void>> rounds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rounds.add(other.drain().toCompletionStage().toCompletableFuture());
        }
        for (var r : rounds) {
            r.join();
        }
        awaitOutboxDrained();
        List<Received> delivered = writes(v2);
        assertThat(delivered).hasSize(devices * perDevice);
        assertThat(delivered.stream().map(r -> r.header("Idempotency-Key")).distinct().count()).isEqualTo(devices * perDevice);
        for (int d = 0; d < devices; d++) {
            String device = "d-shared-" + d;
            List<Integer> seqs = delivered.stream().filter(r -> r.uri().endsWith("/" + device))
                    .map(r -> new JsonObject(r.body()).getInteger("seq")).toList();
            assertThat(seqs).as(device).isSorted().hasSize(perDevice);
        }
    }

    @Inject
    Outbox outbox;
    @Inject
    SecondarySender sender;
    @Inject
    OutboxConfig config;
    @Inject
    io.vertx.core.Vertx vertx;
    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;
}
