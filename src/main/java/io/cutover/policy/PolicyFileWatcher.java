package io.cutover.policy;

import io.cutover.observability.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Loads the traffic policy file at start (an invalid file stops the router with the parser's
 * message) and checks it every {@code cutover.traffic.poll-interval}: a changed content is parsed
 * and, if valid, swapped in; if not, it is refused with a log line and a metric, and the last good
 * policy stays. Reading the file through its path follows symlinks, so a Kubernetes ConfigMap's
 * {@code ..data} swap is seen like any other change.
 */
@ApplicationScoped
public class PolicyFileWatcher {

    private static final Logger LOG = Logger.getLogger(PolicyFileWatcher.class);

    private final PolicyConfig config;
    private final PolicyStore store;
    private final PolicyParser parser = new PolicyParser();
    private final Counter accepted;
    private final Counter refused;
    private ScheduledExecutorService poller;
    private byte[] lastSeen;
    private boolean missingReported;

    PolicyFileWatcher(PolicyConfig config, PolicyStore store, MeterRegistry registry) {
        this.config = config;
        this.store = store;
        this.accepted = registry.counter(MetricNames.POLICY_RELOADS, MetricNames.TAG_RESULT, "accepted");
        this.refused = registry.counter(MetricNames.POLICY_RELOADS, MetricNames.TAG_RESULT, "refused");
        Gauge.builder(MetricNames.POLICY_VERSION, store, s -> s.current().version()).register(registry);
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (config.file().isEmpty()) {
            LOG.infof("no cutover.traffic.file configured: built-in default policy (all traffic on V1)");
            return;
        }
        Path file = config.file().get();
        try {
            byte[] bytes = Files.readAllBytes(file);
            install(bytes, file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read traffic policy file " + file + ": " + e, e);
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutover-policy-watcher");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, config.pollInterval().toMillis());
        poller.scheduleWithFixedDelay(() -> check(file), every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** One check of the file; package-private so that a test can drive it without waiting. */
    void check(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
            missingReported = false;
        } catch (NoSuchFileException e) {
            if (!missingReported) {
                LOG.warnf("traffic policy file %s is missing; keeping policy v%d", file, store.current().version());
                missingReported = true;
            }
            return;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read traffic policy file %s (%s); keeping policy v%d", file, e, store.current().version());
            return;
        }
        if (Arrays.equals(bytes, lastSeen)) {
            return;
        }
        try {
            install(bytes, file);
        } catch (InvalidPolicyException e) {
            lastSeen = bytes; // report a bad content once, not every poll
            refused.increment();
            LOG.errorf("%s; keeping policy v%d", e.getMessage(), store.current().version());
        }
    }

    private void install(byte[] bytes, Path file) throws InvalidPolicyException {
        TrafficPolicy policy = parser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        lastSeen = bytes;
        PolicySnapshot s = store.install(policy, file.toString());
        accepted.increment();
        LOG.infof("traffic policy v%d from %s: v2Weight=%s stickyBy=%s pins=%s dualWrite=%s shadowReads=%s routes=%s",
                s.version(), file, policy.v2Weight(), policy.stickyBy(), policy.pins(), policy.dualWrite(), policy.shadowReads(),
                policy.routes() == null ? "default" : policy.routes());
    }
}
