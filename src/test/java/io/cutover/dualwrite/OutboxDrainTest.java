package io.cutover.dualwrite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.observability.MetricNames;
import io.cutover.testing.TestBackend;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Hot keys through the real router, its real PostgreSQL outbox and two real backends, with the
 * worker's rounds run and counted by the test (the worker's own timer is an hour away): a chatty
 * device's readings and a hot device record drain in a handful of rounds, not one row per round;
 * one entity blocked by a failing row does not hold the others.
 */
@QuarkusTest
@TestProfile(WorkerByHandProfile.class)
class OutboxDrainTest extends OutboxTestBase {

    private static final String TOKEN = "test-admin-token";

    @Inject
    MeterRegistry registry;
    @Inject
    OutboxConfig config;
    @TestHTTPResource("/api/devices/dev-7/telemetry")
    URI telemetry;
    @TestHTTPResource("/api/devices/d-hot")
    URI hotRecord;

    private double rounds() {
        return registry.counter(MetricNames.OUTBOX_ROUNDS).count();
    }

    /** Runs the worker as its timer would (rounds back to back while rows are due) and answers how many rounds it took. */
    private int drainOnce() {
        double before = rounds();
        join(worker.drain());
        return (int) (rounds() - before);
    }

    /** Sends a JSON body through the router and answers the body, failing unless the status is {@code expected}. */
    private String send(String method, URI uri, JsonObject body, int expected) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("%s %s: %s", method, uri, answer.body()).isEqualTo(expected);
        return answer.body();
    }

    @Test
    void shouldDeliverEveryReadingOfAChattyDeviceInAFewRoundsBecauseReadingsQueueBehindNothing() throws Exception {
        int readings = 2000;
        // two clients, as many as the router's V1 pool has connections
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<List<String>>> halves = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int first = c;
            halves.add(clients.submit(() -> {
                List<String> ids = new ArrayList<>();
                for (int n = first; n < readings; n += 2) {
                    String answer = send("POST", telemetry, new JsonObject().put("timestamp", "2026-01-01T00:00:00Z")
                            .put("data", new JsonObject().put("n", n)), 201);
                    ids.add(new JsonObject(answer).getString("id"));
                }
                return ids;
            }));
        }
        List<String> given = new ArrayList<>();
        for (Future<List<String>> f : halves) {
            given.addAll(f.get());
        }
        clients.shutdown();
        awaitSettled();
        assertThat(count("state = 'pending'")).as("every reading's copy waits in the outbox").isEqualTo(readings);

        int rounds = drainOnce();

        assertThat(count("state IN ('unconfirmed', 'pending')")).isZero();
        int bound = (readings + config.claimSize() - 1) / config.claimSize() + 1; // full claims, then one that finds nothing
        assertThat(rounds).as("rounds to drain %d readings of one device (one row per round would be %d)", readings, readings)
                .isLessThanOrEqualTo(bound);
        List<String> atV2 = writes(v2).stream().map(r -> new JsonObject(r.body()).getString("id")).toList();
        assertThat(atV2).as("each reading once, under the id V1 gave it, in any order").containsExactlyInAnyOrderElementsOf(given);
        assertThat(writes(v2)).allSatisfy(r -> assertThat(r.uri()).isEqualTo("/api/devices/dev-7/telemetry"));
    }

    @Test
    void shouldSendTheUpdatesOfOneHotDeviceRecordInOrderBackToBackAndEndWithTheLastVersion() throws Exception {
        int updates = 500;
        for (int seq = 0; seq < updates; seq++) {
            send("PUT", hotRecord, new JsonObject().put("name", "v" + seq).put("seq", seq), 200);
        }
        awaitSettled();

        int rounds = drainOnce();

        assertThat(count("state IN ('unconfirmed', 'pending')")).isZero();
        int bound = (updates + config.runSize() - 1) / config.runSize() + 1;
        assertThat(rounds).as("rounds to drain %d updates of one record, %d back to back per round", updates, config.runSize())
                .isLessThanOrEqualTo(bound);
        List<Integer> seqs = writes(v2).stream().map(r -> new JsonObject(r.body()).getInteger("seq")).toList();
        assertThat(seqs).as("V2 saw the updates in the order V1 took them").containsExactlyElementsOf(
                IntStream.range(0, updates).boxed().toList());
        assertThat(new JsonObject(writes(v2).get(updates - 1).body()).getString("name")).isEqualTo("v" + (updates - 1));
    }

    @Test
    void shouldDrainNineEntitiesWhileTheTenthIsBlockedByAFailingRowAndShowWhatBlocksIt() {
        // V2 refuses d-0's writes for now (429: try later), and refuses one write of d-1 for good (422)
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        v2.respond(r -> {
            if (r.uri().endsWith("/d-0")) {
                return new TestBackend.Canned(429, "{\"error\":\"slow down\"}");
            }
            JsonObject body = new JsonObject(r.body());
            if (r.uri().endsWith("/d-1") && body.getInteger("seq") == 2) {
                return new TestBackend.Canned(422, "{\"error\":\"unprocessable\"}");
            }
            accepted.add(r.uri().substring(r.uri().lastIndexOf('/') + 1) + "#" + body.getInteger("seq"));
            return new TestBackend.Canned(200, r.body());
        });
        for (int seq = 0; seq < 5; seq++) {
            for (int d = 0; d < 10; d++) {
                given().contentType("application/json").body(new JsonObject().put("seq", seq).encode())
                        .put("/api/devices/d-" + d).then().statusCode(200);
            }
        }
        awaitSettled();

        drainOnce();

        Map<String, List<String>> byDevice = accepted.stream().collect(Collectors.groupingBy(a -> a.split("#")[0]));
        assertThat(byDevice).doesNotContainKey("d-0").hasSize(9);
        assertThat(byDevice.get("d-1")).as("the refused row is set aside; the entity's later rows go on, in order")
                .containsExactly("d-1#0", "d-1#1", "d-1#3", "d-1#4");
        for (int d = 2; d < 10; d++) {
            assertThat(byDevice.get("d-" + d)).containsExactly("d-" + d + "#0", "d-" + d + "#1", "d-" + d + "#2",
                    "d-" + d + "#3", "d-" + d + "#4");
        }
        assertThat(count("state = 'failed'")).isEqualTo(1);
        assertThat(count("state = 'pending' AND entity_key = 'device:d-0'")).as("d-0's rows wait behind its head").isEqualTo(5);

        join(worker.refresh(java.time.Instant.now()));
        JsonObject outbox = new JsonObject(given().header("Authorization", "Bearer " + TOKEN).get("/admin/status")
                .then().statusCode(200).extract().asString()).getJsonObject("outbox");
        assertThat(outbox.getJsonArray("blocked")).singleElement().satisfies(b -> {
            JsonObject blocked = (JsonObject) b;
            assertThat(blocked.getString("entity")).isEqualTo("device:d-0");
            assertThat(blocked.getString("target")).isEqualTo("v2");
            assertThat(blocked.getString("reason")).contains("429");
            assertThat(blocked.getLong("waiting")).isEqualTo(5);
        });
        assertThat(outbox.getJsonObject("targets").getJsonObject("v2").getLong("failed")).isEqualTo(1);
        assertThat(given().get("/q/metrics").then().extract().asString())
                .containsPattern("cutover_outbox_blocked_entities\\{[^}]*target=\"v2\"[^}]*} 1.0");

        // V2 takes d-0 again: once its retry time comes, its five rows arrive in order and it is no longer blocked
        v2.respond(r -> {
            accepted.add(r.uri().substring(r.uri().lastIndexOf('/') + 1) + "#" + new JsonObject(r.body()).getInteger("seq"));
            return new TestBackend.Canned(200, r.body());
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            drainOnce();
            return count("state = 'pending'") == 0;
        });
        assertThat(accepted.stream().filter(a -> a.startsWith("d-0#")).toList())
                .containsExactly("d-0#0", "d-0#1", "d-0#2", "d-0#3", "d-0#4");
        join(worker.refresh(java.time.Instant.now()));
        assertThat(worker.blocked()).isEmpty();
    }
}
