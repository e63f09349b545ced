package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.observability.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code cutover.outbox.coalesce-replacements}: through the real router, its outbox and two backends, the updates of
 * one hot device record reach V2 as the last replacement of each stretch of replacements in a run, and V2 ends where V1 ended;
 * a merge ({@code PATCH}) between them is sent, with the replacement it merges into.
 */
@QuarkusTest
@TestProfile(CoalescedReplacementsTest.Coalescing.class)
class CoalescedReplacementsTest extends OutboxTestBase {

    /** The worker run by the test, replacements coalesced. */
    public static class Coalescing extends WorkerByHandProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("cutover.outbox.coalesce-replacements", "true");
            return m;
        }
    }

    @Inject
    MeterRegistry registry;
    @Inject
    OutboxConfig config;
    @TestHTTPResource("/api/devices/d-hot")
    URI hotRecord;

    private void send(String method, JsonObject body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(hotRecord).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    private static String put(int seq) {
        return "PUT " + new JsonObject().put("name", "v" + seq).put("seq", seq).encode();
    }

    @Test
    void shouldSendTheLastReplacementOfEachStretchAndTheMergesBetweenThem() throws Exception {
        double before = registry.counter(MetricNames.OUTBOX_COALESCED, MetricNames.TAG_TARGET, "v2").count();
        for (int seq = 0; seq < 100; seq++) {
            send("PUT", new JsonObject().put("name", "v" + seq).put("seq", seq));
        }
        send("PATCH", new JsonObject().put("status", "ONLINE"));
        for (int seq = 100; seq < 150; seq++) {
            send("PUT", new JsonObject().put("name", "v" + seq).put("seq", seq));
        }
        awaitSettled();

        join(worker.drain());

        assertThat(count("state IN ('unconfirmed', 'pending')")).isZero();
        List<String> atV2 = writes(v2).stream().map(r -> r.method() + " " + new JsonObject(r.body()).encode()).toList();
        // a run is 64 rows: rows 1-64 (v0-v63), 65-128 (v64-v99, the merge, v100-v126), 129-151 (v127-v149); a run
        // sends its last row, as it cannot see whether the next run replaces it again
        assertThat(config.runSize()).isEqualTo(64);
        assertThat(atV2).as("per run: the last replacement, the one a merge applies to, and the merge").containsExactly(
                put(63), put(99), "PATCH " + new JsonObject().put("status", "ONLINE").encode(), put(126), put(149));
        assertThat(registry.counter(MetricNames.OUTBOX_COALESCED, MetricNames.TAG_TARGET, "v2").count() - before)
                .as("replacements not sent").isEqualTo(146);
        assertThat(count("state = 'done'")).as("each of them done").isEqualTo(151);
    }
}
