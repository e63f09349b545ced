package io.cutover.dualwrite;

import io.cutover.observability.MetricNames;
import io.cutover.routing.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Each replica's sender of the shared outbox: claims the oldest due row of each entity
 * ({@code FOR UPDATE SKIP LOCKED} plus a lease, so replicas never send the same row at once and an
 * entity's rows go in order), sends them in parallel, and marks them done or due again with
 * backoff. Runs off the client's path on a Vert.x timer.
 */
@Singleton
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);
    private static final Duration HOUSEKEEPING = Duration.ofSeconds(1);

    private final Outbox outbox;
    private final OutboxStore store;
    private final SecondarySender sender;
    private final OutboxConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final Backoff backoff;
    private final String workerId;
    private final Map<Backend, Counter> sent = new EnumMap<>(Backend.class);
    private final Map<Backend, Counter> retried = new EnumMap<>(Backend.class);
    private final MeterRegistry registry;
    private volatile Map<Backend, OutboxStore.Backlog> backlog = Map.of();
    private boolean running;
    private Instant lastHousekeeping = Instant.EPOCH;
    private long timer = -1;

    OutboxWorker(Outbox outbox, SecondarySender sender, OutboxConfig config, Clock clock, Vertx vertx, MeterRegistry registry) {
        this.outbox = outbox;
        this.store = outbox.store();
        this.sender = sender;
        this.config = config;
        this.clock = clock;
        this.vertx = vertx;
        this.registry = registry;
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
        this.workerId = hostname() + "-" + UUID.randomUUID().toString().substring(0, 8);
        for (Backend b : Backend.values()) {
            sent.put(b, registry.counter(MetricNames.OUTBOX_SENT, MetricNames.TAG_TARGET, b.id()));
            retried.put(b, registry.counter(MetricNames.OUTBOX_RETRIED, MetricNames.TAG_TARGET, b.id()));
            Gauge.builder(MetricNames.OUTBOX_PENDING, () -> backlog(b).open()).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Outbox rows still to send to the target").register(registry);
            Gauge.builder(MetricNames.OUTBOX_FAILED_ROWS, () -> backlog(b).failed()).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Outbox rows the target refused (4xx); they need an operator").register(registry);
            Gauge.builder(MetricNames.OUTBOX_OLDEST_AGE, () -> oldestAgeSeconds(b)).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Age of the oldest outbox row still to send to the target").baseUnit("seconds").register(registry);
        }
        Gauge.builder(MetricNames.OUTBOX_MEMORY, outbox, Outbox::heldInMemory)
                .description("Dual-write intents held in memory while the router's database is down").register(registry);
        Gauge.builder(MetricNames.OUTBOX_LOST, outbox, o -> o.lastGap() == null ? 0 : o.lastGap().lost())
                .description("Intents lost to a full memory buffer during the last database outage").register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!outbox.enabled()) {
            return;
        }
        timer = vertx.setPeriodic(Math.max(10, config.pollInterval().toMillis()), t -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public String workerId() {
        return workerId;
    }

    public OutboxStore.Backlog backlog(Backend b) {
        return backlog.getOrDefault(b, OutboxStore.Backlog.EMPTY);
    }

    public double oldestAgeSeconds(Backend b) {
        Instant oldest = backlog(b).oldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    /** One round: housekeeping now and then, then claim and send until nothing is due. */
    void tick() {
        if (running) {
            return;
        }
        running = true;
        housekeeping().compose(v -> drain()).onComplete(ar -> {
            running = false;
            if (ar.failed()) {
                LOG.debugf("outbox round failed: %s", ar.cause().getMessage());
            }
        });
    }

    /** Claims and sends batches until fewer than a full batch is due. Package-private for tests. */
    Future<Void> drain() {
        Instant now = clock.instant();
        return store.claim(workerId, now, now.plus(config.lease()), config.claimSize()).compose(rows -> {
            outbox.databaseUp();
            if (rows.isEmpty()) {
                return Future.succeededFuture();
            }
            List<UUID> done = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            List<Future<Void>> sends = rows.stream().map(row -> sendOne(row, done)).toList();
            return Future.join(sends)
                    .transform(ar -> store.doneAll(List.copyOf(done), workerId, clock.instant()))
                    .compose(v -> rows.size() >= config.claimSize() ? drain() : Future.succeededFuture());
        });
    }

    /** Sends one row; a success is added to {@code done} (marked in one statement per batch). */
    private Future<Void> sendOne(OutboxRow row, List<UUID> done) {
        return sender.send(row).compose(s -> {
            Instant now = clock.instant();
            switch (s.result()) {
                case DONE -> {
                    sent.get(row.target()).increment();
                    done.add(row.id());
                    return Future.succeededFuture();
                }
                case CANCELLED -> {
                    LOG.warnf("outbox row %s (%s %s, entity %s) not sent to %s: %s; cancelled",
                            row.id(), row.method(), row.uri(), row.entityKey(), row.target().id(), s.detail());
                    return store.cancel(row.id(), workerId, now, s.detail());
                }
                case REFUSED -> {
                    failedAttempt(row.target(), "refused");
                    LOG.errorf("outbox row %s (%s %s, entity %s) refused by %s: %s; marked failed",
                            row.id(), row.method(), row.uri(), row.entityKey(), row.target().id(), s.detail());
                    return store.fail(row.id(), workerId, now, s.detail());
                }
                default -> {
                    retried.get(row.target()).increment();
                    failedAttempt(row.target(), s.outcome().tag());
                    Duration wait = backoff.after(row.attempts());
                    return store.retry(row.id(), workerId, now, now.plus(wait), s.detail());
                }
            }
        });
    }

    private void failedAttempt(Backend target, String reason) {
        registry.counter(MetricNames.OUTBOX_FAILED_ATTEMPTS, MetricNames.TAG_TARGET, target.id(), MetricNames.TAG_REASON, reason)
                .increment();
    }

    private Future<Void> housekeeping() {
        Instant now = clock.instant();
        if (Duration.between(lastHousekeeping, now).compareTo(HOUSEKEEPING) < 0) {
            return Future.succeededFuture();
        }
        lastHousekeeping = now;
        return outbox.flushMemory()
                .compose(v -> store.promoteUnconfirmed(now.minus(config.unconfirmedGrace()), now))
                .onSuccess(n -> {
                    if (n > 0) {
                        LOG.warnf("%d outbox intents had no recorded primary answer (a router stopped mid-write); sending them", n);
                    }
                })
                .compose(n -> store.purgeFinished(now.minus(config.retention())))
                .compose(n -> outbox.backlog())
                .onSuccess(b -> backlog = b)
                .mapEmpty();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "cutover";
        }
    }
}
