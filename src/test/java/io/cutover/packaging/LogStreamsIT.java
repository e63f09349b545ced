package io.cutover.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.cutover.dualwrite.RouterProcess;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The packaged router's two logs on two streams: the access log alone on stdout (one JSON line per request, which a
 * collector can parse line by line), the router's own log on stderr. On one stream, a line of one could be cut by a
 * line of the other (seen on the jar: an ERROR line in the middle of an access line, under write load with the
 * router's database stalled).
 */
class LogStreamsIT {

    @Test
    void shouldWriteTheAccessLogAloneOnStdoutAndTheRoutersOwnLogOnStderr() throws Exception {
        HttpServer v1 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        v1.createContext("/", exchange -> {
            byte[] body = "{\"backend\":\"v1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        v1.start();
        int port = RouterProcess.freePort();
        Path policy = Files.createTempFile("cutover-logs-policy", ".yaml");
        Files.writeString(policy, "v2Weight: 0\n");
        Path out = Path.of("target", "log-streams-stdout.log");
        Path err = Path.of("target", "log-streams-stderr.log");
        ProcessBuilder pb = new ProcessBuilder(RouterProcess.command());
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("CUTOVER_BACKENDS_V1_URL", "http://127.0.0.1:" + v1.getAddress().getPort());
        pb.environment().put("CUTOVER_BACKENDS_V2_URL", "http://127.0.0.1:" + RouterProcess.freePort()); // nothing there
        pb.environment().put("CUTOVER_TRAFFIC_FILE", policy.toString());
        pb.environment().put("CUTOVER_WARM_UP_ENABLED", "false");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process router = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            List<CompletableFuture<HttpResponse<Void>>> reads = IntStream.range(0, 200).mapToObj(i -> http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/devices/d-" + i)).build(),
                    HttpResponse.BodyHandlers.discarding())).toList();
            reads.forEach(r -> assertThat(r.join().statusCode()).isEqualTo(200));

            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(out).size() >= 200);
            assertThat(Files.readAllLines(out)).as("stdout: the access log, a JSON object per line, nothing else")
                    .allSatisfy(line -> assertThat(new JsonObject(line).getString("path")).startsWith("/api/devices/d-"))
                    .hasSize(200);
            assertThat(Files.readString(err)).as("stderr: the router's own log")
                    .contains("no router database").contains("started in").doesNotContain("\"path\":");
        } finally {
            router.destroy();
            router.waitFor();
            v1.stop(0);
        }
    }
}
