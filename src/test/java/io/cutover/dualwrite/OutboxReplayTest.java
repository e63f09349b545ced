package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.TestBackend.Canned;
import io.cutover.testing.TestBackend.Received;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * What the secondary is sent again, and under which key, through the real router, its PostgreSQL
 * outbox and two backends, with the worker's rounds run by the test:
 * <ul>
 *   <li>a target that honours {@code Idempotency-Key} as the reference API does keeps its first answer
 *       under a key, a 404 too: a reading sent before its device reached it goes again under a key of its
 *       own, and arrives once the device is there (it used to be replayed the 404 for ever);</li>
 *   <li>a write whose primary answer no router recorded (its router died) goes to the primary again
 *       first when nothing follows it, so that the secondary never ends with a write the primary lacks;
 *       with a later write of its entity behind it, it goes straight to the secondary, before that one.</li>
 * </ul>
 */
@QuarkusTest
@TestProfile(WorkerByHandProfile.class)
class OutboxReplayTest extends OutboxTestBase {

    @Inject
    Outbox outbox;
    @TestHTTPResource("/api/devices/dev-late/telemetry")
    URI telemetry;

    private long open() {
        return count("state IN ('unconfirmed', 'pending')");
    }

    @Test
    void shouldSendAReadingAgainUnderAKeyOfItsOwnAfterTheTargetKeptA404UnderTheFirst() throws Exception {
        // V2 as the reference API behaves: the first answer under a key is kept and replayed to that key,
        // whatever its status; a reading of a device it does not have is a 404
        Set<String> devicesOnV2 = ConcurrentHashMap.newKeySet();
        Map<String, Canned> kept = new ConcurrentHashMap<>();
        v2.respond(r -> kept.computeIfAbsent(r.header("Idempotency-Key"), k -> devicesOnV2.contains("dev-late")
                ? new Canned(201, r.body()) : new Canned(404, "{\"error\":\"device dev-late not found\"}")));
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(telemetry).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"t\":1}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as("V1 took the reading").isEqualTo(201);

        awaitSettled(); // the settlement follows the answer by a batch flush: before it the row is not due
        join(worker.drain());
        assertThat(writes(v2)).as("sent once: V2 does not have the device yet").singleElement()
                .satisfies(r -> assertThat(kept.get(r.header("Idempotency-Key")).status()).isEqualTo(404));
        assertThat(open()).as("the reading waits for its device").isEqualTo(1);

        devicesOnV2.add("dev-late"); // the device arrives on V2 (its own dual write, or the backfill)
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            join(worker.drain());
            return open() == 0;
        });

        List<Received> sent = writes(v2);
        String first = sent.get(0).header("Idempotency-Key");
        Received last = sent.get(sent.size() - 1);
        assertThat(kept.get(last.header("Idempotency-Key")).status()).as("the last try is taken").isEqualTo(201);
        assertThat(last.header("Idempotency-Key")).as("a key of its own, derived from the write's").isEqualTo(first + "~1");
        assertThat(last.body()).as("the same reading, with the id V1 gave it").isEqualTo(sent.get(0).body());
        assertThat(new JsonObject(last.body()).getString("id")).isEqualTo(new JsonObject(posted.body()).getString("id"));
        assertThat(sent.stream().filter(r -> kept.get(r.header("Idempotency-Key")).status() == 201))
                .as("V2 applied the reading once").hasSize(1);
    }

    @Test
    void shouldNotSendAReadingRecordedBeforeItsDevicesDeleteOnceV2TookTheDelete() throws Exception {
        // V2 as the reference API behaves: a reading of a device it does not have is a 404, a device's delete takes its
        // readings; the reading's first try fails (503), so that it is still on its way when the delete reaches V2
        Set<String> devicesOnV2 = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger readingTries = new java.util.concurrent.atomic.AtomicInteger();
        v2.respond(r -> {
            if (r.uri().endsWith("/telemetry")) {
                return readingTries.incrementAndGet() == 1 ? new Canned(503, "{\"error\":\"busy\"}")
                        : devicesOnV2.contains("dev-gone") ? new Canned(201, r.body()) : new Canned(404, "{\"error\":\"not found\"}");
            }
            if (r.method().equals("POST")) {
                devicesOnV2.add(new JsonObject(r.body()).getString("id"));
                return new Canned(201, r.body());
            }
            return devicesOnV2.remove("dev-gone") ? new Canned(204, "") : new Canned(404, "{\"error\":\"not found\"}");
        });
        URI devices = telemetry.resolve("/api/devices");
        assertThat(send("POST", devices, "{\"id\":\"dev-gone\",\"name\":\"n\",\"type\":\"T\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", devices.resolve("/api/devices/dev-gone/telemetry"), "{\"data\":{\"t\":1}}").statusCode()).isEqualTo(201);
        assertThat(send("DELETE", devices.resolve("/api/devices/dev-gone"), "").statusCode()).as("V1 deleted it").isEqualTo(200);
        awaitSettled();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            join(worker.drain());
            return open() == 0;
        });

        assertThat(devicesOnV2).as("V2 ends without the device, as V1").isEmpty();
        assertThat(writes(v2).stream().filter(r -> r.uri().endsWith("/telemetry")))
                .as("the reading was tried once (503), and not sent after the delete, where it would find no device").hasSize(1);
        assertThat(join(pool.query("SELECT state || ': ' || last_error FROM cutover_outbox WHERE uri LIKE '%/telemetry'").execute())
                .iterator().next().getString(0))
                .isEqualTo("cancelled: not sent: its record was deleted after it (DELETE /api/devices/dev-gone sent to v2)");
        assertThat(count("state = 'failed'")).isZero();
    }

    @Test
    void shouldGiveTheSecondaryTwoOverlappingWritesOfARecordInTheOrderThePrimaryAnsweredThem() throws Exception {
        // two clients write dev-both at once; V1 answers the first one last (it applied it last: its final version)
        v1.respond(r -> r.body().contains("first") ? new Canned(200, r.body(), false, 400) : new Canned(200, r.body()));
        URI record = telemetry.resolve("/api/devices/dev-both");
        var first = http.sendAsync(HttpRequest.newBuilder(record).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\":\"first\"}")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> writes(v1).size() == 1); // recorded, and on its way to V1
        assertThat(send("PUT", record, "{\"name\":\"second\"}").statusCode()).isEqualTo(200);
        assertThat(first.get().statusCode()).isEqualTo(200);
        awaitSettled();

        join(worker.drain());

        assertThat(writes(v2)).extracting(r -> new JsonObject(r.body()).getString("name"))
                .as("recorded first, answered last: V2 takes it last and ends where V1 ended").containsExactly("second", "first");
    }

    @Test
    void shouldCountADeleteOfADeviceV2NeverHadAsDoneNotAsARefusalForAnOperator() throws Exception {
        // its create never reached V2 (created before dual write, never backfilled): V2 answers the delete 404
        v2.respond(r -> new Canned(404, "{\"error\":\"device dev-never not found\"}"));
        assertThat(send("DELETE", telemetry.resolve("/api/devices/dev-never"), "").statusCode()).isEqualTo(200);
        awaitSettled();

        join(worker.drain());

        assertThat(writes(v2)).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.header("Content-Length")).as("a delete without a body goes without one, and without a length of 0")
                    .isNull();
        });
        assertThat(count("state = 'done'")).as("both sides are without it").isEqualTo(1);
        assertThat(count("state = 'failed'")).isZero();
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAskThePrimaryAgainForAWriteWhoseAnswerNoRouterRecordedWhenNothingFollowsIt() {
        unconfirmed("PUT", "/api/devices/d-u", "device:d-u", new JsonObject().put("name", "never answered"), "k-lone");
        join(outbox.store().promoteUnconfirmed(Instant.now(), Instant.now()));

        join(worker.drain());

        assertThat(writes(v1)).as("the primary is asked again, under the write's own key (it replays or applies it)")
                .singleElement().satisfies(r -> {
                    assertThat(r.uri()).isEqualTo("/api/devices/d-u");
                    assertThat(r.header("Idempotency-Key")).isEqualTo("k-lone");
                    assertThat(new JsonObject(r.body()).getString("name")).isEqualTo("never answered");
                });
        assertThat(writes(v2)).as("then the secondary, with the same write").singleElement().satisfies(r -> {
            assertThat(r.header("Idempotency-Key")).isEqualTo("k-lone");
            assertThat(new JsonObject(r.body()).getString("name")).isEqualTo("never answered");
        });
        assertThat(open()).isZero();
    }

    @Test
    void shouldSendAnUnconfirmedWriteStraightToTheSecondaryBeforeTheLaterWriteOfItsEntity() {
        unconfirmed("PUT", "/api/devices/d-f", "device:d-f", new JsonObject().put("name", "v1 never answered"), "k-first");
        pending("PUT", "/api/devices/d-f", "device:d-f", new JsonObject().put("name", "v2 acknowledged"), "k-second");
        join(outbox.store().promoteUnconfirmed(Instant.now(), Instant.now()));

        join(worker.drain());

        assertThat(writes(v1)).as("the primary is not asked: applied now, the old write would overwrite the later one").isEmpty();
        assertThat(writes(v2)).extracting(r -> new JsonObject(r.body()).getString("name"))
                .as("the secondary takes both in order and ends where the primary is")
                .containsExactly("v1 never answered", "v2 acknowledged");
        assertThat(open()).isZero();
    }

    @Test
    void shouldNotSendAnUnconfirmedWriteThatTheClientRetriedThroughAnotherRouterWhichSettledIt() {
        // router A died before settling k-retried; the client sent it again through router B, whose row has V1's times
        unconfirmed("PUT", "/api/devices/d-r", "device:d-r", new JsonObject().put("name", "retried"), "k-retried");
        pending("PUT", "/api/devices/d-r", "device:d-r", new JsonObject().put("name", "retried")
                .put("updatedAt", "2026-12-01T10:00:00.123Z"), "k-retried");
        join(outbox.store().promoteUnconfirmed(Instant.now(), Instant.now()));

        join(worker.drain());

        assertThat(writes(v2)).as("V2 gets the write once, with the time V1 gave it (sent bare first, under the same key,"
                + " it would have kept its own time)").singleElement()
                .satisfies(r -> assertThat(new JsonObject(r.body()).getString("updatedAt")).isEqualTo("2026-12-01T10:00:00.123Z"));
        assertThat(writes(v1)).isEmpty();
        assertThat(open()).isZero();
    }

    /** A row as a router that died mid-write leaves it: recorded towards V2, its primary's answer never settled. */
    private void unconfirmed(String method, String uri, String entity, JsonObject body, String key) {
        insert("unconfirmed", method, uri, entity, body, key);
    }

    private void pending(String method, String uri, String entity, JsonObject body, String key) {
        insert("pending", method, uri, entity, body, key);
    }

    private void insert(String state, String method, String uri, String entity, JsonObject body, String key) {
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
        join(pool.preparedQuery("INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant,"
                        + " idempotency_key, entity_key, ordered, next_attempt_at, created_at, updated_at)"
                        + " VALUES ($1, $2, 'v2', $3, $4, '{\"Content-Type\":\"application/json\"}'::jsonb, $5, 'default',"
                        + " $6, $7, true, $8, $8, $8)")
                .execute(Tuple.tuple().addUUID(UUID.randomUUID()).addString(state).addString(method).addString(uri)
                        .addBuffer(Buffer.buffer(body.encode())).addString(key).addString(entity).addOffsetDateTime(at)));
    }
}
