package io.cutover.dualwrite;

import io.cutover.observability.MetricNames;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.cutover.database.Bounded;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** Blocked entities named in the status: {@value}. */
    static final int BLOCKED_SHOWN = 10;
    /** A run stops at most this long before its lease ends (a quarter of the lease if shorter), so that no other worker takes the entity while a send is in flight. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    private final Outbox outbox;
    private final OutboxStore store;
    private final SecondarySender sender;
    private final OutboxConfig config;
    private final Clock clock;
    private final Vertx vertx;
    /** Backoff steps at most of a reading whose device is not on the target yet. */
    static final int WAITING_READING_STEPS = 3;

    private final Backoff backoff;
    private final String workerId;
    private final Map<Backend, Counter> sent = new EnumMap<>(Backend.class);
    private final Map<Backend, Counter> retried = new EnumMap<>(Backend.class);
    private final Map<Backend, Counter> coalesced = new EnumMap<>(Backend.class);
    private final Counter rounds;
    private final Map<Backend, Lanes> lanes = new EnumMap<>(Backend.class);
    private final Duration leaseMargin;
    private final MeterRegistry registry;
    private volatile Map<Backend, OutboxStore.Backlog> backlog = Map.of();
    private volatile Instant backlogAt = Instant.EPOCH;
    private volatile List<OutboxStore.Blocked> blocked = List.of();
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
            lanes.put(b, new Lanes(sender.connections(b)));
            sent.put(b, registry.counter(MetricNames.OUTBOX_SENT, MetricNames.TAG_TARGET, b.id()));
            retried.put(b, registry.counter(MetricNames.OUTBOX_RETRIED, MetricNames.TAG_TARGET, b.id()));
            coalesced.put(b, Counter.builder(MetricNames.OUTBOX_COALESCED).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Replacements not sent because the next row of their record replaced them again"
                            + " (cutover.outbox.coalesce-replacements)").register(registry));
            Gauge.builder(MetricNames.OUTBOX_PENDING, () -> backlog(b).open()).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Outbox rows still to send to the target").register(registry);
            Gauge.builder(MetricNames.OUTBOX_FAILED_ROWS, () -> backlog(b).failed()).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Outbox rows the target refused (4xx); they need an operator").register(registry);
            Gauge.builder(MetricNames.OUTBOX_OLDEST_AGE, () -> oldestAgeSeconds(b)).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Age of the oldest outbox row still to send to the target").baseUnit("seconds").register(registry);
            Gauge.builder(MetricNames.OUTBOX_LAG, () -> oldestAgeSeconds(b)).tag(MetricNames.TAG_TARGET, b.id())
                    .description("How far the target is behind: age of the oldest outbox row it does not have yet"
                            + " (pending, due or waiting for a retry), as of the last refresh (each second)")
                    .baseUnit("seconds").register(registry);
            Gauge.builder(MetricNames.OUTBOX_BLOCKED, () -> backlog(b).blockedEntities()).tag(MetricNames.TAG_TARGET, b.id())
                    .description("Entities whose next row keeps failing towards the target; their later rows wait behind it")
                    .register(registry);
        }
        rounds = registry.counter(MetricNames.OUTBOX_ROUNDS);
        Duration quarter = config.lease().dividedBy(4);
        leaseMargin = quarter.compareTo(LEASE_MARGIN) < 0 ? quarter : LEASE_MARGIN;
        Gauge.builder(MetricNames.OUTBOX_MEMORY, outbox, Outbox::heldInMemory)
                .description("Dual-write intents held in memory while the router's database is down").register(registry);
        Gauge.builder(MetricNames.OUTBOX_LOST, outbox, o -> o.lastGap() == null ? 0 : o.lastGap().lost())
                .description("Intents lost to a full memory buffer during the last database outage").register(registry);
        Gauge.builder(MetricNames.OUTBOX_DATABASE_UP, outbox, o -> o.databaseDown() ? 0 : 1)
                .description("1 while the write path reaches the router's database within cutover.outbox.database-timeout")
                .register(registry);
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

    /** The lag towards {@code b}: age of its oldest pending row when the backlog was last read (each second). */
    public double oldestAgeSeconds(Backend b) {
        Instant oldest = backlog(b).oldest();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, backlogAt).toMillis() / 1000.0);
    }

    /** The entities blocked longest (a failing head row), as of the last refresh. */
    List<OutboxStore.Blocked> blocked() {
        return blocked;
    }

    /** Housekeeping now and then, then rounds back to back while rows are due. */
    void tick() {
        if (running) {
            return;
        }
        running = true;
        // intents held in memory go first, each tick (not once a second with the housekeeping): the writes of their
        // entities are held behind them until then
        Future<Void> held = outbox.heldInMemory() == 0 ? Future.succeededFuture()
                : Bounded.within(vertx, outbox.flushMemory(), config.lease(), "flushing held intents");
        held.compose(v -> boundedHousekeeping()).compose(v -> drain()).onComplete(ar -> {
            running = false;
            if (ar.failed()) {
                LOG.debugf("outbox round failed: %s", ar.cause().getMessage());
            }
        });
    }

    /** Rounds back to back until one finds nothing due (the poll interval is for an idle outbox). Package-private for tests. */
    Future<Void> drain() {
        // each step bounded (a hung database must not hold the worker for ever); a round's claims stay leased meanwhile
        return Bounded.within(vertx, round(), config.lease(), "an outbox round")
                .compose(claimed -> claimed > 0 ? boundedHousekeeping().compose(v -> drain()) : Future.succeededFuture());
    }

    /**
     * One round: claims due independent rows and sends them in parallel, and claims due entities and sends
     * each one's run (its next rows, back to back, in order) while the entities go in parallel. Answers how
     * many rows and entities it claimed. Package-private for tests.
     */
    Future<Integer> round() {
        rounds.increment();
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(config.lease());
        Future<Integer> free = store.claimFree(workerId, now, leaseUntil, config.claimSize()).compose(this::sendFree);
        Future<Integer> ordered = store.claimQueues(workerId, now, leaseUntil, config.claimSize())
                .compose(queues -> sendRuns(queues, leaseUntil));
        return Future.all(free, ordered).map(v -> {
            outbox.databaseUp();
            return free.result() + ordered.result();
        });
    }

    /** Independent rows: all at once; each one's result is stored by itself, the successes in one statement. */
    private Future<Integer> sendFree(List<OutboxRow> rows) {
        if (rows.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<UUID> done = Collections.synchronizedList(new ArrayList<>());
        List<Future<Step>> sends = rows.stream().map(row -> send(row, true).compose(s -> settle(row, s, false, done))).toList();
        return Future.join(sends).transform(ar -> store.doneAll(List.copyOf(done), clock.instant())).map(rows.size());
    }

    /** Claimed entities: each one's run, back to back; the entities in parallel. */
    private Future<Integer> sendRuns(List<OutboxStore.Queue> queues, Instant leaseUntil) {
        if (queues.isEmpty()) {
            return Future.succeededFuture(0);
        }
        return store.runs(queues, config.runSize()).compose(rows -> {
            Map<String, List<OutboxRow>> byEntity = new HashMap<>();
            for (OutboxRow r : rows) {
                byEntity.computeIfAbsent(r.target().id() + " " + r.entityKey(), k -> new ArrayList<>()).add(r);
            }
            List<UUID> done = Collections.synchronizedList(new ArrayList<>());
            List<Future<OutboxStore.Release>> runs = new ArrayList<>();
            List<OutboxStore.Queue> empty = Collections.synchronizedList(new ArrayList<>());
            for (OutboxStore.Queue q : queues) {
                List<OutboxRow> run = byEntity.getOrDefault(q.target().id() + " " + q.entityKey(), List.of());
                runs.add(run(q, run, 0, leaseUntil, done).map(end -> {
                    if (end == null && run.size() < config.runSize()) {
                        empty.add(q); // all sent: gone unless rows arrived meanwhile (then due again at once, below)
                    }
                    return end == null ? new OutboxStore.Release(q, clock.instant(), null, 0) : end;
                }).otherwise(err -> new OutboxStore.Release(q, clock.instant(), null, 0)));
            }
            return Future.join(runs).transform(ar -> store.doneAll(List.copyOf(done), clock.instant()))
                    .compose(v -> supersede(rows, done))
                    .compose(v -> store.release(List.copyOf(empty), runs.stream().map(Future::result).toList(),
                            workerId, clock.instant()))
                    .map(queues.size());
        });
    }

    /**
     * The readings of a record that the target has now seen deleted, recorded before the delete and still on their way
     * to it, are not sent: on the primary the delete took them away (the reference API deletes a device's readings with
     * it), and sent after it they would find no device (404) and be retried for ever, or land on a record of the same id
     * created again. Readings that reached the target first were removed there by the delete, as on the primary.
     */
    private Future<Void> supersede(List<OutboxRow> rows, List<UUID> done) {
        List<OutboxRow> candidates = rows.stream().filter(OutboxRow::deletesRecord).toList();
        if (candidates.isEmpty()) {
            return Future.succeededFuture();
        }
        Set<UUID> sent = new HashSet<>(done);
        List<OutboxRow> deletes = candidates.stream().filter(r -> sent.contains(r.id())).toList();
        if (deletes.isEmpty()) {
            return Future.succeededFuture();
        }
        return store.supersedeIndependent(deletes.stream().map(OutboxRow::id).toList(), clock.instant()).onSuccess(n -> {
            if (n > 0) {
                LOG.infof("%d readings recorded before their record's delete not sent (the delete removed them): %s", n,
                        deletes.stream().map(r -> r.target().id() + " " + r.entityKey()).distinct().toList());
            }
        }).mapEmpty();
    }

    /**
     * Sends {@code run} from {@code i} on, one row after the other. Completes with {@code null} when all were
     * sent (or set aside), else with the release that says when the entity is due again and why.
     */
    private Future<OutboxStore.Release> run(OutboxStore.Queue q, List<OutboxRow> run, int i, Instant leaseUntil, List<UUID> done) {
        if (i == run.size()) {
            return Future.succeededFuture();
        }
        OutboxRow row = run.get(i);
        Instant now = clock.instant();
        if (!row.pending()) {
            // its primary has not answered yet: the rows behind it wait (it is settled in a moment, or sent after the grace)
            return Future.succeededFuture(new OutboxStore.Release(q, now.plus(config.pollInterval()), null, 0));
        }
        if (!now.plus(leaseMargin).isBefore(leaseUntil)) {
            return Future.succeededFuture(new OutboxStore.Release(q, now, null, 0)); // the lease runs out: give it back
        }
        if (row.viaPrimary() && answeredLater(run, i)) {
            // a write its dying router never settled, retried by the client through another router, which did: that
            // row carries the same write with what the primary gave; this one (the client's bare body) is not sent
            done.add(row.id());
            return run(q, run, i + 1, leaseUntil, done);
        }
        if (config.coalesceReplacements() && replacedNext(run, i)) {
            // cutover.outbox.coalesce-replacements: the next row replaces this one again, and the secondary ends the same
            done.add(row.id());
            coalesced.get(row.target()).increment();
            return run(q, run, i + 1, leaseUntil, done);
        }
        // the newest row of its entity: the last one read, and the run did not stop at its size (nothing behind it)
        boolean newest = i == run.size() - 1 && run.size() < config.runSize();
        return send(row, newest).compose(s -> settle(row, s, true, done)).compose(step -> step.blocked() == null
                ? run(q, run, i + 1, leaseUntil, done)
                : Future.succeededFuture(new OutboxStore.Release(q, step.blocked(), step.reason(), row.attempts() + 1)));
    }

    /**
     * Whether the row is a replacement ({@code PUT}) that the next row of the run replaces again: a {@code PUT} of the
     * same URI whose primary's answer is recorded (so it will be sent), neither of them asked of the primary first.
     */
    static boolean replacedNext(List<OutboxRow> run, int i) {
        if (i + 1 >= run.size()) {
            return false;
        }
        OutboxRow row = run.get(i);
        OutboxRow next = run.get(i + 1);
        return "PUT".equals(row.method()) && "PUT".equals(next.method()) && row.uri().equals(next.uri())
                && next.pending() && !row.viaPrimary() && !next.viaPrimary();
    }

    /** Whether a later row of the run is the same write (its Idempotency-Key), settled by its primary's answer. */
    private static boolean answeredLater(List<OutboxRow> run, int i) {
        String key = run.get(i).idempotencyKey();
        for (int j = i + 1; j < run.size(); j++) {
            OutboxRow later = run.get(j);
            if (later.pending() && !later.viaPrimary() && later.idempotencyKey().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** One send, in its target's lanes. */
    private Future<SecondarySender.Sent> send(OutboxRow row, boolean newest) {
        return lanes.get(row.target()).submit(() -> sender.send(row, newest));
    }

    /** What a row's send means for its entity's run: go on ({@code blocked} null), or wait until {@code blocked}. */
    private record Step(Instant blocked, String reason) {
        static final Step ON = new Step(null, null);
    }

    /** Stores what one send ended in; a success is added to {@code done} (marked in one statement per round). */
    private Future<Step> settle(OutboxRow row, SecondarySender.Sent s, boolean ordered, List<UUID> done) {
        Instant now = clock.instant();
        SecondarySender.Result result = s.result();
        String detail = s.detail();
        if (!ordered && result == SecondarySender.Result.REFUSED && s.status() == 404) {
            // a reading whose device the target does not have yet: it arrives by dual write or backfill
            result = SecondarySender.Result.RETRY;
            detail = "status 404: its device is not on " + row.target().id() + " yet";
        }
        switch (result) {
            case DONE -> {
                sent.get(row.target()).increment();
                done.add(row.id());
                return Future.succeededFuture(Step.ON);
            }
            case CANCELLED -> {
                LOG.warnf("outbox row %s (%s %s, entity %s) not sent to %s: %s; cancelled",
                        row.id(), row.method(), row.uri(), row.entityKey(), row.target().id(), detail);
                return store.cancel(row.id(), now, detail).map(Step.ON);
            }
            case REFUSED -> {
                failedAttempt(row.target(), "refused");
                LOG.errorf("outbox row %s (%s %s, entity %s) refused by %s: %s; marked failed, the entity's later rows go on",
                        row.id(), row.method(), row.uri(), row.entityKey(), row.target().id(), detail);
                return store.fail(row.id(), now, detail).map(Step.ON);
            }
            default -> {
                retried.get(row.target()).increment();
                failedAttempt(row.target(), s.outcome().tag());
                Instant next = now.plus(backoff.after(backoffAttempts(row, s, ordered)));
                String reason = detail;
                // a 4xx wrote nothing, and the target keeps that answer under the key: the next try goes under a key of its own
                boolean wroteNothing = s.status() >= 400 && s.status() < 500;
                return store.retry(row.id(), now, next, reason, s.outcome() != Outcome.BREAKER_OPEN, wroteNothing)
                        .map(new Step(next, reason));
            }
        }
    }

    /**
     * How far the row's backoff has grown. A send refused by the target's own open breaker never
     * reached it: it is not counted as an attempt and the row is tried again at the first step, so
     * that it goes out as soon as the breaker lets calls through again, not after a backoff grown
     * through a whole outage of short-circuits. A reading
     * waiting for its device (404) grows at most three steps: the device arrives by dual write.
     */
    private static int backoffAttempts(OutboxRow row, SecondarySender.Sent s, boolean ordered) {
        if (s.outcome() == Outcome.BREAKER_OPEN) {
            return 1;
        }
        if (!ordered && s.status() == 404) {
            return Math.min(row.attempts() + 1, WAITING_READING_STEPS);
        }
        return row.attempts() + 1;
    }

    private void failedAttempt(Backend target, String reason) {
        registry.counter(MetricNames.OUTBOX_FAILED_ATTEMPTS, MetricNames.TAG_TARGET, target.id(), MetricNames.TAG_REASON, reason)
                .increment();
    }

    private Future<Void> boundedHousekeeping() {
        return Bounded.within(vertx, housekeeping(), config.lease(), "outbox housekeeping");
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
                .compose(n -> refresh(now));
    }

    /** Reads the backlog figures (the lag, the blocked entities) as of {@code now}. Package-private for tests. */
    Future<Void> refresh(Instant now) {
        return Future.all(outbox.backlog(), store.blocked(BLOCKED_SHOWN)).onSuccess(f -> {
            backlog = f.resultAt(0);
            blocked = f.resultAt(1);
            backlogAt = now;
        }).mapEmpty();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "cutover";
        }
    }
}
