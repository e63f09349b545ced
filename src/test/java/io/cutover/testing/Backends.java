package io.cutover.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
    private static ConfigMapDir policy;

    /** Dual write off: the proxy tests count what each backend received; the dual-write tests turn it on. */
    public static final String DEFAULT_POLICY = "v2Weight: 0\nstickyBy: tenant\ndualWrite: false\n";

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        v1 = new TestBackend(vertx, "v1").start();
        v2 = new TestBackend(vertx, "v2").start();
        policy = ConfigMapDir.create("cutover-policy", "policy.yaml");
        policyDir = policy.dir();
        writePolicy(DEFAULT_POLICY);
        Path apiKeys = policyDir.resolveSibling(policyDir.getFileName() + "-api-keys.yaml");
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            keys.append("key-tenant-").append(i).append(": tenant-").append(i).append('\n');
        }
        for (String t : new String[] {"held", "early", "other", "acme"}) {
            keys.append("key-tenant-").append(t).append(": tenant-").append(t).append('\n');
        }
        keys.append("key-tester-qa: {tenant: tenant-qa, tester: true}\n");
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
        return policy.file();
    }

    /** Publishes a new policy the way the kubelet updates a ConfigMap volume: an atomic symlink swap. */
    public static void writePolicy(String yaml) {
        policy.write(yaml);
    }
}
