package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Received;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two router processes on one database: writes arrive through both, the secondary is down, and
 * when it comes back both drain the shared outbox: every write delivered once, in order per device.
 */
class TwoRoutersIT {

    @Test
    void shouldDrainOneOutboxFromTwoRoutersWithoutDuplicatesOrReordering() throws Exception {
        try (EmbeddedPostgres db = EmbeddedPostgres.builder().start()) {
            Vertx vertx = Vertx.vertx();
            TestBackend v1 = new TestBackend(vertx, "v1").start();
            TestBackend v2 = new TestBackend(vertx, "v2").start();
            Path policy = Files.createTempFile("two-routers-policy", ".yaml");
            Files.writeString(policy, "v2Weight: 0\ndualWrite: true\n");
            int portA = RouterProcess.freePort();
            int portB = RouterProcess.freePort();
            Process a = RouterProcess.start(portA, v1, v2, policy, db.getPort(), "two-routers-a.log");
            Process b = RouterProcess.start(portB, v1, v2, policy, db.getPort(), "two-routers-b.log");
            try {
                v2.down();
                HttpClient http = HttpClient.newHttpClient();
                int devices = 6;
                int perDevice = 20;
                for (int seq = 0; seq < perDevice; seq++) {
                    for (int d = 0; d < devices; d++) {
                        int port = (seq + d) % 2 == 0 ? portA : portB; // each device's writes alternate routers
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + port + "/api/devices/dev-" + d))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"seq\":" + seq + "}")).build(),
                                HttpResponse.BodyHandlers.discarding());
                        assertThat(r.statusCode()).isEqualTo(200);
                    }
                }
                v2.up();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> v2.received().size() >= devices * perDevice);
                // every row done: nothing is left that could still be sent (a duplicate would be here now)
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    try (var c = db.getPostgresDatabase().getConnection();
                         var rs = c.createStatement().executeQuery("SELECT count(*) FROM cutover_outbox WHERE state <> 'done'")) {
                        rs.next();
                        return rs.getLong(1) == 0;
                    }
                });
                List<Received> delivered = v2.received();
                Map<String, Long> perKey = delivered.stream()
                        .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
                assertThat(perKey).hasSize(devices * perDevice);
                assertThat(perKey.values()).allMatch(n -> n == 1);
                for (int d = 0; d < devices; d++) {
                    String path = "/api/devices/dev-" + d;
                    List<Integer> seqs = delivered.stream().filter(r -> r.uri().equals(path))
                            .map(r -> new JsonObject(r.body()).getInteger("seq")).toList();
                    assertThat(seqs).as(path).isSorted().hasSize(perDevice);
                }
                assertThat(v1.received().stream().filter(r -> r.method().equals("PUT"))).hasSize(devices * perDevice);
            } finally {
                a.destroy();
                b.destroy();
                a.waitFor();
                b.waitFor();
                vertx.close();
            }
        }
    }
}
