package io.cutover.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's {@code promtool} (Debian's {@code prometheus} package, which {@code .ci/run} installs): the tool that
 * will read the chart's rules and the dashboard's queries. Without it the tests that need it are skipped, unless
 * {@code CUTOVER_PROMTOOL_TEST=required} (set by {@code .ci/run}), which makes them fail.
 */
public final class Promtool {

    /** What promtool said and how it ended. */
    public record Result(int exit, String output) {
    }

    private Promtool() {
    }

    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Skips the calling test without promtool, or fails it when {@code CUTOVER_PROMTOOL_TEST=required}. */
    public static void assumeInstalled() {
        if (binary() != null) {
            return;
        }
        String message = "this test needs promtool on the PATH (apt-get install prometheus)";
        if ("required".equals(System.getenv("CUTOVER_PROMTOOL_TEST"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    /** Runs {@code promtool args...} in {@code dir}. */
    public static Result run(Path dir, String... args) {
        return run(dir, null, args);
    }

    /** Runs {@code promtool args...} in {@code dir}, reading {@code input} (or nothing when {@code null}). */
    public static Result run(Path dir, Path input, String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary().toString());
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            if (input != null) {
                pb.redirectInput(input.toFile());
            }
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("promtool did not finish in 60 s: " + command);
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
