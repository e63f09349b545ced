package io.cutover.demo;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The test profile with the reference backends running, as in dev mode: V1 and V2 over their
 * databases in the embedded PostgreSQL, and the router in front of them (dual write on, every
 * tenant on V1 unless pinned, the tenant header trusted). The global test backends are off.
 */
public class ReferenceBackendsProfile implements QuarkusTestProfile {

    static final int V1_PORT = freePort();
    static final int V2_PORT = freePort();
    static final Path POLICY = policy();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                // margin for the first requests of a fresh JVM on a busy machine: longer than the test profile's 2 s / 500 ms
                "cutover.backends.v1.response-timeout", "20s",
                "cutover.backends.v2.response-timeout", "20s",
                "cutover.demo.enabled", "true",
                "cutover.demo.v1-port", Integer.toString(V1_PORT),
                "cutover.demo.v2-port", Integer.toString(V2_PORT),
                "cutover.backends.v1.url", "http://127.0.0.1:" + V1_PORT,
                "cutover.backends.v2.url", "http://127.0.0.1:" + V2_PORT,
                "cutover.traffic.file", POLICY.toString(),
                "cutover.tenant.header-trusted", "true");
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path policy() {
        try {
            Path file = Files.createTempFile("cutover-reference-policy", ".yaml");
            Files.writeString(file, "v2Weight: 0\ntenants:\n  on-v2: v2\ndualWrite: true\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
