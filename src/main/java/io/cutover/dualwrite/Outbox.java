package io.cutover.dualwrite;

import io.cutover.database.Bounded;
import io.cutover.observability.LogThrottle;
import io.cutover.routing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The write-ahead record of every dual write: an intent is inserted (group-committed) while the
 * primary call is in flight, then settled by the primary's answer before the client gets it.
 * When the database is down, intents are held in a bounded memory buffer (or, in strict mode,
 * the write is refused) and the span that was not durable is recorded.
 */
@Singleton
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    private final OutboxStore store;
    private final Vertx vertx;
    private final OutboxConfig config;
    private final Clock clock;
    private final MemoryBuffer memory;
    private final Batcher<WriteIntent> inserts;
    private final Batcher<OutboxStore.Settlement> settlements;
    private final Batcher<OrderCheck> orderChecks;
    private volatile boolean databaseDown;
    /** One line per {@value #LINE_EVERY_SECONDS} s at most for what can happen to every write of an outage. */
    static final int LINE_EVERY_SECONDS = 10;
    private final LogThrottle lostLines = new LogThrottle(Duration.ofSeconds(LINE_EVERY_SECONDS));
    private final LogThrottle unsettledLines = new LogThrottle(Duration.ofSeconds(LINE_EVERY_SECONDS));
    private final boolean enabled;

    /** False when the router has no database at all: then there is no dual write. */
    public boolean enabled() {
        return enabled;
    }

    @jakarta.inject.Inject
    Outbox(io.cutover.database.RouterDatabase database, Vertx vertx, OutboxConfig config, Clock clock) {
        this(database.configured() ? database.pool() : null, vertx, config, clock);
        if (!database.configured()) {
            LOG.warn("no router database (quarkus.datasource.reactive.url, or -Dcutover.database.embedded=true):"
                    + " dual write is OFF, writes reach the primary only");
        }
    }

    Outbox(Pool pool, Vertx vertx, OutboxConfig config, Clock clock) {
        this.enabled = pool != null;
        this.vertx = vertx;
        this.store = new OutboxStore(pool);
        this.config = config;
        this.clock = clock;
        this.memory = new MemoryBuffer(config.memoryBuffer(), clock);
        this.inserts = new Batcher<>(config.batchSize(), batch -> databaseDown && !strict()
                ? Future.failedFuture(new IllegalStateException("router database down"))
                : bounded(store.insert(batch, OutboxStore.STATE_UNCONFIRMED, clock.instant()), "recording intents"));
        this.settlements = new Batcher<>(config.batchSize(), batch -> databaseDown
                ? Future.failedFuture(new IllegalStateException("router database down"))
                : bounded(store.settle(batch, clock.instant()), "settling intents"));
        // one round trip for every write that asks while one is out: the check was a round trip per write, before
        // the forward, and it halved the durable writes a router on a busy database could take (bench/RESULTS.md)
        this.orderChecks = new Batcher<>(config.batchSize(), batch -> databaseDown
                ? Future.failedFuture(new IllegalStateException("router database down"))
                : bounded(store.open(batch.stream().map(OrderCheck::probe).toList()), "the outbox-order check")
                        .map(open -> {
                            batch.forEach(c -> c.open = open.contains(c.probe));
                            return null;
                        }));
    }

    /** One write's outbox-order check, answered by the batch it went in. */
    private static final class OrderCheck {
        private final OutboxStore.Probe probe;
        private volatile boolean open;

        OrderCheck(OutboxStore.Probe probe) {
            this.probe = probe;
        }

        OutboxStore.Probe probe() {
            return probe;
        }
    }

    /** A call on the write path, bounded by {@code cutover.outbox.database-timeout}; past it the database counts as down. */
    private <T> Future<T> bounded(Future<T> call, String what) {
        return Bounded.within(vertx, call, config.databaseTimeout(), what).onFailure(this::markDown);
    }

    private void markDown(Throwable err) {
        if (!databaseDown) {
            databaseDown = true;
            LOG.errorf("router database unavailable (%s): %s", err.getMessage(),
                    strict() ? "refusing writes (strict)" : "holding dual-write intents in memory (durability gap in /admin/status)");
        }
    }

    OutboxStore store() {
        return store;
    }

    /** Whether copies of the entity's earlier writes are still on their way to {@code target} (false when disabled). */
    Future<Boolean> hasOpen(String entityKey, Backend target) {
        if (!enabled || databaseDown) {
            return Future.succeededFuture(false);
        }
        if (memory.heldTowards(target, entityKey) > 0) {
            return Future.succeededFuture(true); // held in memory since the database was away: not stored yet
        }
        OrderCheck check = new OrderCheck(new OutboxStore.Probe(entityKey, target));
        return orderChecks.submit(check).map(v -> check.open);
    }

    /**
     * See {@link OutboxStore#FALLBACK_CHECK}: bounded, and nothing known while the database is down. Intents of the
     * entity held in memory towards the other side (its own aside) count as copies on their way there.
     */
    Future<DualWrite.Fallback> fallbackCheck(Ticket ticket, Backend primary) {
        if (!enabled || databaseDown) {
            return Future.succeededFuture(DualWrite.Fallback.FREE);
        }
        WriteIntent w = ticket.intent();
        int heldBefore = memory.heldTowards(primary.other(), w.entityKey()) - (ticket.held != null ? 1 : 0);
        return bounded(store.fallbackCheck(w, primary), "the fallback check")
                .map(f -> heldBefore > 0 && w.ordered() && !f.behind() ? new DualWrite.Fallback(f.inDoubt(), true) : f);
    }

    public boolean strict() {
        return config.whenDatabaseDown() == OutboxConfig.WhenDatabaseDown.STRICT;
    }

    /** One write's intent on its way to being durable. */
    public final class Ticket {
        private volatile WriteIntent intent;
        private volatile MemoryBuffer.Held held;
        /** Neither stored nor held (the memory buffer was full): counted lost in the gap, never settled. */
        private volatile boolean lost;
        private final Future<Void> recorded;

        private Ticket(WriteIntent intent) {
            this.intent = intent;
            if (databaseDown && !strict()) {
                this.recorded = onInsertFailed(new IllegalStateException("router database down"));
            } else if (memory.holds(intent.entityKey())) { // never in strict mode: it holds nothing
                // the database is back, and earlier intents of this entity are still in memory: stored now, this one
                // would come before them in the entity's order; it is held behind them and flushed after them
                this.recorded = hold();
            } else {
                this.recorded = bounded(inserts.submit(intent), "recording an intent").recover(this::onInsertFailed);
            }
        }

        private Future<Void> onInsertFailed(Throwable err) {
            markDown(err);
            if (strict()) {
                return Future.failedFuture(err);
            }
            return hold();
        }

        private Future<Void> hold() {
            held = memory.hold(intent);
            lost = held == null;
            long unlogged = lost ? lostLines.admit(System.nanoTime()) : -1;
            if (unlogged >= 0) {
                DurabilityGap gap = memory.lastGap();
                LOG.errorf("dual-write memory buffer full (%d): write %s %s will not reach %s (%d more since the last such line;"
                                + " %d in this outage, metric cutover_outbox_memory_lost); backfill the span in /admin/status",
                        config.memoryBuffer(), intent.method(), intent.uri(), intent.target().id(), unlogged,
                        gap == null ? 0 : gap.lost());
            }
            return Future.succeededFuture();
        }

        /** Completes once the intent is stored (or held); fails only in strict mode with the database down. */
        public Future<Void> recorded() {
            return recorded;
        }

        public WriteIntent intent() {
            return intent;
        }

        /** The primary accepted the write: send this (final) intent to its target. */
        public Future<Void> confirm(WriteIntent settled) {
            intent = settled;
            return recorded.compose(v -> settle(settled, OutboxStore.STATE_PENDING));
        }

        /** The primary refused the write: never send it. Not awaited by the client. */
        public void cancel() {
            recorded.compose(v -> settle(intent, OutboxStore.STATE_CANCELLED))
                    .onFailure(e -> LOG.debugf("cancel of %s not stored (%s); it stays unconfirmed", intent.id(), e.getMessage()));
        }

        private Future<Void> settle(WriteIntent w, String state) {
            MemoryBuffer.Held h = held;
            if (lost) {
                return Future.succeededFuture();
            }
            if (h != null) {
                h.intent = w;
                h.state = state;
                return Future.succeededFuture();
            }
            // off the client's path: the batch's own bound (in the flush) is enough, no timer per settlement
            return settlements.submit(new OutboxStore.Settlement(w, state)).recover(err -> {
                // The intent is stored (unconfirmed): durable, sent after the grace period even if this router dies.
                // The settlement waits in memory and is applied when the database answers again.
                long unlogged = memory.holdSettlement(w, state) ? -1 : unsettledLines.admit(System.nanoTime());
                if (unlogged >= 0) {
                    LOG.warnf("could not settle outbox row %s (%s); it will be sent after %s (%d more since the last such line)",
                            w.id(), err.getMessage(), config.unconfirmedGrace(), unlogged);
                }
                return Future.succeededFuture();
            });
        }
    }

    public Ticket begin(WriteIntent intent) {
        return new Ticket(intent);
    }

    /**
     * Moves what is held in memory into the outbox; called by the worker while the buffer is not empty. An
     * intent whose insert timed out may have been stored after all (the statement went on): the flush
     * stores each one once, and a settlement applies to a row still unconfirmed, whoever inserted it.
     */
    Future<Void> flushMemory() {
        if (memory.size() == 0) {
            return Future.succeededFuture();
        }
        Instant now = clock.instant();
        List<MemoryBuffer.Held> ready = memory.drain(config.batchSize(), now.minus(config.unconfirmedGrace()));
        if (ready.isEmpty()) {
            return Future.succeededFuture();
        }
        List<OutboxStore.Settlement> rows = ready.stream()
                .map(h -> new OutboxStore.Settlement(h.intent, h.state == null ? OutboxStore.STATE_PENDING : h.state)).toList();
        return Bounded.within(vertx, store.storeOrSettle(rows, now), config.databaseTimeout().multipliedBy(10), "flushing held intents")
                .compose(v -> {
                    memory.flushed(ready);
                    databaseUp();
                    // back to back while batches come full: under load, what was held empties in a few round trips
                    return ready.size() == config.batchSize() ? flushMemory() : Future.succeededFuture();
                });
    }

    /**
     * Called when a database operation succeeded again. Writes are recorded in the database again at once, but for
     * those of entities with intents still held in memory (held behind them until they are flushed, in order):
     * waiting for an empty buffer, a router under steady load never left the memory, and lost every write past its
     * size once full.
     */
    void databaseUp() {
        if (databaseDown) {
            databaseDown = false;
            LOG.infof("router database back (%d intents still held in memory, flushed in order); last durability gap: %s",
                    memory.size(), memory.lastGap());
        }
    }

    public boolean databaseDown() {
        return databaseDown;
    }

    public int heldInMemory() {
        return memory.size();
    }

    /** The last span whose intents could not be made durable at once, or {@code null} if none. */
    public DurabilityGap lastGap() {
        return memory.lastGap();
    }

    Future<Map<Backend, OutboxStore.Backlog>> backlog() {
        return store.backlog();
    }
}
