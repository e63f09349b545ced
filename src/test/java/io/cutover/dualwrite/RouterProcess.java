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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged router as a real process, for the tests that kill it or run two of them: the jar, or
 * the native executable when the build made one ({@code ./mvnw verify -Dnative}: the native profile
 * tells failsafe so through {@code cutover.it.native} and {@code native.image.path}).
 */
public final class RouterProcess {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /** Whether the ITs run against the native executable (a native build that linked one). */
    static final boolean NATIVE = Boolean.getBoolean("cutover.it.native")
            && !Boolean.getBoolean("quarkus.native.sources-only");

    /** What the ITs start: the native executable of a native build, else the packaged jar. */
    public static final Path ARTIFACT = NATIVE
            ? Path.of(System.getProperty("native.image.path", "target/cutover-1.0.0-SNAPSHOT-runner"))
            : JAR;

    private RouterProcess() {
    }

    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * The command line that runs the packaged application with {@code args} (none: the router;
     * {@code verify ...}: a migration job), as {@link #ARTIFACT}.
     */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>();
        if (NATIVE) {
            command.add(ARTIFACT.toAbsolutePath().toString());
        } else {
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        }
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the router on {@code port} against the backends and the database; returns once it is ready. */
    static Process start(int port, TestBackend v1, TestBackend v2, Path policy, int dbPort, String log) throws Exception {
        return start(port, v1.url(), v2.url(), policy, dbPort, log, Map.of());
    }

    /**
     * Starts the router ({@link #ARTIFACT}) on {@code port} against backends at these URLs and the database, with
     * {@code extraEnv} added last (it may override the defaults); returns once it is ready.
     */
    public static Process start(int port, String v1Url, String v2Url, Path policy, int dbPort, String log,
                                Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command());
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
        env.put("CUTOVER_WARM_UP_REQUESTS", "2000");   // the warm-up runs (its readiness too), briefly
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
