package io.cutover.dualwrite;

import static org.awaitility.Awaitility.await;

import io.cutover.testing.TestBackend;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The packaged router as a real process, for the tests that kill it or run two of them. */
public final class RouterProcess {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private RouterProcess() {
    }

    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the jar on {@code port} against the backends and the database; returns once it is ready. */
    static Process start(int port, TestBackend v1, TestBackend v2, Path policy, int dbPort, String log) throws Exception {
        return start(port, v1.url(), v2.url(), policy, dbPort, log, Map.of());
    }

    /**
     * Starts the jar on {@code port} against backends at these URLs and the database, with
     * {@code extraEnv} added last (it may override the defaults); returns once it is ready.
     */
    public static Process start(int port, String v1Url, String v2Url, Path policy, int dbPort, String log,
                                Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("CUTOVER_BACKENDS_V1_URL", v1Url);
        env.put("CUTOVER_BACKENDS_V2_URL", v2Url);
        env.put("CUTOVER_TRAFFIC_FILE", policy.toString());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + dbPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("CUTOVER_OUTBOX_UNCONFIRMED_GRACE", "2s");
        env.put("CUTOVER_OUTBOX_BACKOFF_MAX", "1s");
        env.putAll(extraEnv);
        pb.redirectErrorStream(true).redirectOutput(new File("target/" + log));
        Process p = pb.start();
        HttpClient probe = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> probe.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return p;
    }
}
