package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Mode;
import io.cutover.testing.TestBackend.Received;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged router, a real process, killed with SIGKILL in the middle of a write load and
 * started again: the secondary ends up with every write a client got an answer for.
 */
class KillNineIT {


    private static EmbeddedPostgres db;
    private static Vertx vertx;
    private static TestBackend v1;
    private static TestBackend v2;
    private static Path policy;
    private static int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start() throws Exception {
        assertThat(RouterProcess.ARTIFACT).as("the packaged router (run after mvn package)").exists();
        db = EmbeddedPostgres.builder().start();
        vertx = Vertx.vertx();
        v1 = new TestBackend(vertx, "v1").start();
        v2 = new TestBackend(vertx, "v2").start();
        policy = Files.createTempFile("kill-nine-policy", ".yaml");
        Files.writeString(policy, "v2Weight: 0\ndualWrite: true\n");
        port = RouterProcess.freePort();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close();
        db.close();
    }

    private static Process router() throws Exception {
        return RouterProcess.start(port, v1, v2, policy, db.getPort(), "kill-nine-router.log");
    }

    @Test
    void shouldDeliverEveryAcknowledgedWriteAfterTheRouterIsKilledMidLoad() throws Exception {
        v2.mode(Mode.ERROR_500); // the secondary fails for now: acknowledged writes pile up in the outbox
        Process first = router();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    String key = "k-" + client + "-" + i++;
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/devices/dev-" + client))
                                .header("Idempotency-Key", key).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(5))
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"n\":" + i + "}")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            acknowledged.add(key);
                        }
                    } catch (Exception killed) {
                        // the router is down: this write was not acknowledged
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 200);
        first.destroyForcibly().waitFor(); // SIGKILL, mid-load
        int ackedBeforeKill = acknowledged.size();
        Process second = router();
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= ackedBeforeKill + 100);
        stop.set(true);
        for (Thread t : clients) {
            t.join();
        }
        int failedAtV2 = v2.received().size(); // V2 answered 500 to these: deliveries that did not take
        v2.mode(Mode.ECHO);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(byKey(taken(v2, failedAtV2)).keySet()).as("acknowledged writes V2 has taken").containsAll(acknowledged));
        } finally {
            second.destroy();
            second.waitFor();
        }

        List<Received> atV1 = taken(v1, 0);
        List<Received> atV2 = taken(v2, failedAtV2);
        Map<String, List<Received>> v1ByKey = byKey(atV1);
        assertThat(v1ByKey.keySet()).as("acknowledged writes V1 has taken").containsAll(acknowledged);
        assertThat(v1ByKey.values()).as("V1 takes a write once, or twice where the outbox asked it again under the same"
                + " key (a write whose answer the killed router never recorded): never two different writes under one key")
                .allSatisfy(copies -> {
                    assertThat(copies).hasSizeLessThanOrEqualTo(2);
                    assertThat(copies).extracting(Received::body).containsOnly(copies.get(0).body());
                });
        byKey(atV2).forEach((key, copies) -> assertThat(copies).as("every copy of %s at V2 is that one write", key)
                .allSatisfy(c -> {
                    assertThat(c.body()).isEqualTo(copies.get(0).body());
                    if (v1ByKey.containsKey(key)) {
                        assertThat(c.uri()).isEqualTo(v1ByKey.get(key).get(0).uri());
                        assertThat(c.body()).isEqualTo(v1ByKey.get(key).get(0).body());
                    }
                }));
        for (int c = 0; c < 4; c++) {
            String device = "/api/devices/dev-" + c;
            List<Received> v2Writes = atV2.stream().filter(r -> r.uri().equals(device)).toList();
            List<Received> v1Writes = atV1.stream().filter(r -> r.uri().equals(device)).toList();
            assertThat(v2Writes.get(v2Writes.size() - 1).body()).as("%s ends the same on both sides", device)
                    .isEqualTo(v1Writes.get(v1Writes.size() - 1).body());
            // a write V1 never took (the router died before forwarding it) may reach V2 only as an older version,
            // superseded there by a later write of the device that V1 took
            for (int i = 0; i < v2Writes.size(); i++) {
                Received w = v2Writes.get(i);
                if (!v1ByKey.containsKey(w.header("Idempotency-Key"))) {
                    assertThat(v2Writes.subList(i + 1, v2Writes.size()))
                            .as("%s: %s reached V2 though V1 never took it; a later write V1 took must follow it", device,
                                    w.header("Idempotency-Key"))
                            .anySatisfy(later -> assertThat(v1ByKey).containsKey(later.header("Idempotency-Key")));
                }
            }
        }
        assertThat(atV2).as("every write V2 was sent carries an Idempotency-Key, so replays are idempotent")
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isNotBlank());
    }

    /** The PUTs a backend received from {@code from} on, in arrival order. */
    private static List<Received> taken(TestBackend b, int from) {
        List<Received> all = b.received();
        return all.subList(from, all.size()).stream().filter(r -> r.method().equals("PUT")).toList();
    }

    /** PUTs by Idempotency-Key, in arrival order. */
    private static Map<String, List<Received>> byKey(List<Received> received) {
        Map<String, List<Received>> m = new HashMap<>();
        received.stream().filter(r -> r.header("Idempotency-Key") != null)
                .forEach(r -> m.computeIfAbsent(r.header("Idempotency-Key"), k -> new ArrayList<>()).add(r));
        return m;
    }
}
