package io.cutover.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the two real backends on ephemeral ports and a traffic policy laid out as Kubernetes
 * mounts a ConfigMap ({@code policy.yaml -> ..data/policy.yaml}, {@code ..data -> ..<version>}),
 * so that every policy change in the tests is a symlink swap, and points the router at them.
 */
public class Backends implements QuarkusTestResourceLifecycleManager {

    private static Vertx vertx;
    private static TestBackend v1;
    private static TestBackend v2;
    private static Path policyDir;
    private static final AtomicInteger GENERATION = new AtomicInteger();

    /** Dual write off: the proxy tests count what each backend received; the dual-write tests turn it on. */
    public static final String DEFAULT_POLICY = "v2Weight: 0\nstickyBy: tenant\ndualWrite: false\n";

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        v1 = new TestBackend(vertx, "v1").start();
        v2 = new TestBackend(vertx, "v2").start();
        try {
            policyDir = Files.createTempDirectory("cutover-policy");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writePolicy(DEFAULT_POLICY);
        Path apiKeys = policyDir.resolveSibling(policyDir.getFileName() + "-api-keys.yaml");
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            keys.append("key-tenant-").append(i).append(": tenant-").append(i).append('\n');
        }
        for (String t : new String[] {"held", "early", "other", "acme"}) {
            keys.append("key-tenant-").append(t).append(": tenant-").append(t).append('\n');
        }
        try {
            Files.writeString(apiKeys, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("cutover.tenant.api-keys-file", apiKeys.toString()),
                Map.entry("cutover.backends.v1.url", v1.url()),
                Map.entry("cutover.backends.v2.url", v2.url()),
                Map.entry("cutover.traffic.file", policyFile().toString()),
                Map.entry("cutover.traffic.poll-interval", "50ms"));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    public static TestBackend v1() {
        return v1;
    }

    public static TestBackend v2() {
        return v2;
    }

    public static Path policyFile() {
        return policyDir.resolve("policy.yaml");
    }

    /** Publishes a new policy the way the kubelet updates a ConfigMap volume: an atomic symlink swap. */
    public static void writePolicy(String yaml) {
        try {
            String gen = "..gen" + GENERATION.incrementAndGet();
            Path dir = Files.createDirectory(policyDir.resolve(gen));
            Files.writeString(dir.resolve("policy.yaml"), yaml, StandardCharsets.UTF_8);
            Path tmpLink = policyDir.resolve("..data_tmp");
            Files.deleteIfExists(tmpLink);
            Files.createSymbolicLink(tmpLink, Path.of(gen));
            Files.move(tmpLink, policyDir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path link = policyDir.resolve("policy.yaml");
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", "policy.yaml"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
