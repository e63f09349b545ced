package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Mode;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        AtomicInteger sent = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    String key = "k-" + client + "-" + i++;
                    sent.incrementAndGet();
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
        v2.mode(Mode.ECHO);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Set<String> atV2 = ConcurrentHashMap.newKeySet();
                v2.received().stream().filter(r -> r.method().equals("PUT"))
                        .forEach(r -> atV2.add(r.header("Idempotency-Key")));
                assertThat(atV2).containsAll(acknowledged);
            });
        } finally {
            second.destroy();
            second.waitFor();
        }
        assertThat(ackedBeforeKill).isGreaterThanOrEqualTo(200);
        assertThat(sent.get()).isGreaterThan(acknowledged.size() - 1);
    }
}
