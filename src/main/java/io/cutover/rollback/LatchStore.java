package io.cutover.rollback;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Keeps one replica's {@link SharedLatch} and the shared row {@code cutover_rollback_latch} (id 1)
 * in step. A change made here is written (and {@code NOTIFY cutover_latch}); a change made by
 * another replica arrives by {@code LISTEN} and, as a safety net, by a poll every
 * {@code cutover.rollback.poll-interval}. The request path never waits for any of it: it reads the
 * latch in memory. While the database is down the local latch still works; the change is written
 * when it comes back.
 */
final class LatchStore implements SharedLatch.Listener {

    private static final Logger LOG = Logger.getLogger(LatchStore.class);

    static final String CHANNEL = "cutover_latch";
    private static final String SELECT =
            "SELECT state, cause, reason, figures, since, changed_by, version FROM cutover_rollback_latch WHERE id = 1";
    /** Changes the row only if it is not already in the target state (another replica may have been first). */
    private static final String WRITE = """
            WITH u AS (
              UPDATE cutover_rollback_latch
                 SET state = $1, cause = $2, reason = $3, figures = $4, since = $5, changed_by = $6, version = version + 1
               WHERE id = 1 AND state <> $1
              RETURNING state, cause, reason, figures, since, changed_by, version)
            SELECT u.*, pg_notify('cutover_latch', u.version::text) FROM u""";

    /** What the store reports: for the metrics, and for tests. */
    interface Errors {
        Errors NONE = operation -> { };

        void failed(String operation);
    }

    private final Vertx vertx;
    private final Pool pool;
    private final PgConnectOptions listenOptions;
    private final SharedLatch latch;
    private final Duration pollInterval;
    private final Errors errors;
    private final AtomicReference<LatchState> pending = new AtomicReference<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    /** A NOTIFY or change arrived while a sync was in flight: sync again right after it. */
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean failing;
    private volatile boolean stopped;
    private volatile PgSubscriber subscriber;
    private final AtomicBoolean listening = new AtomicBoolean();
    private long timer = -1;

    LatchStore(Vertx vertx, Pool pool, PgConnectOptions listenOptions, SharedLatch latch, Duration pollInterval, Errors errors) {
        this.vertx = vertx;
        this.pool = pool;
        this.listenOptions = listenOptions;
        this.latch = latch;
        this.pollInterval = pollInterval;
        this.errors = errors;
    }

    /**
     * Reads the shared row (waiting at most {@code wait}, so that a restarted replica comes up
     * latched), then listens and polls. Call from a thread that may block (start-up).
     */
    void start(Duration wait) {
        latch.addListener(this);
        try {
            read().toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("rollback latch read from the database: %s (by=%s, since=%s)",
                    latch.state().state(), latch.state().by(), latch.state().since());
        } catch (Exception e) {
            failing = true;
            errors.failed("read");
            LOG.warnf("cannot read the shared rollback latch at start (%s): starting %s, retrying every %s",
                    rootMessage(e), latch.state().state(), pollInterval);
        }
        listen();
        timer = vertx.setPeriodic(Math.max(10, pollInterval.toMillis()), id -> sync());
    }

    void stop() {
        stopped = true;
        latch.removeListener(this);
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        PgSubscriber s = subscriber;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void changed(LatchState before, LatchState after, boolean local) {
        if (local) {
            pending.set(after);
            sync();
        }
    }

    /** Whether a local change is not yet in the shared row (the database is slow or unreachable). */
    public boolean hasUnwrittenChange() {
        return pending.get() != null;
    }

    /** Writes a pending local change, else reads the shared row and adopts it. */
    void sync() {
        if (stopped) {
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        LatchState toWrite = pending.get();
        Future<?> step = toWrite != null ? write(toWrite) : read();
        step.onComplete(ar -> {
            busy.set(false);
            if (ar.failed()) {
                again.set(false);
                errors.failed(toWrite != null ? "write" : "read");
                if (!failing) {
                    failing = true;
                    LOG.warnf("shared rollback latch: database unreachable (%s); this replica keeps its latch (%s) and retries every %s",
                            rootMessage(ar.cause()), latch.state().state(), pollInterval);
                }
                return;
            }
            if (!listening.get()) {
                listen();                            // LISTEN could not connect before: try again now the DB answers
            }
            if (failing) {
                failing = false;
                LOG.infof("shared rollback latch: database reachable again%s",
                        toWrite != null ? "; wrote the change made meanwhile (" + toWrite.state() + " by " + toWrite.by() + ")" : "");
            }
            if (again.getAndSet(false) || pending.get() != null) {
                vertx.runOnContext(v -> sync());     // a change or NOTIFY that came while this one was in flight
            }
        });
    }

    private Future<LatchState> read() {
        LatchState seen = latch.state();
        return pool.query(SELECT).execute().map(rows -> {
            LatchState row = first(rows);
            if (row == null) {
                throw new IllegalStateException("cutover_rollback_latch has no row with id 1");
            }
            if (pending.get() == null) {
                latch.adopt(seen, row);
            }
            return row;
        });
    }

    private Future<LatchState> write(LatchState change) {
        JsonObject figures = change.figures() == null ? null : change.figures().toJson();
        Tuple args = Tuple.of(change.state().name(), change.cause(), change.reason(), figures,
                OffsetDateTime.ofInstant(change.since(), ZoneOffset.UTC), change.by());
        return pool.preparedQuery(WRITE).execute(args).compose(rows -> {
            pending.compareAndSet(change, null);
            LatchState written = first(rows);
            if (written != null) {
                latch.adopt(change, written);
                return Future.succeededFuture(written);
            }
            LOG.infof("shared rollback latch was already %s (another replica was first): taking its row", change.state());
            return read();
        });
    }

    /** LISTENs on a connection of its own; reconnects by itself once it was connected. */
    private void listen() {
        if (stopped || !listening.compareAndSet(false, true)) {
            return;
        }
        PgSubscriber old = subscriber;
        if (old != null) {
            old.close();
        }
        PgSubscriber s = PgSubscriber.subscriber(vertx, listenOptions);
        s.reconnectPolicy(retries -> pollInterval.toMillis() * 2);
        s.channel(CHANNEL).handler(payload -> sync());
        s.connect().onFailure(e -> {
            listening.set(false);
            LOG.warnf("cannot LISTEN %s (%s): polling every %s meanwhile", CHANNEL, rootMessage(e), pollInterval);
        });
        subscriber = s;
    }

    private static LatchState first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row r = it.next();
        Object figures = r.getValue("figures");
        return new LatchState(
                LatchState.State.valueOf(r.getString("state")),
                r.getString("cause"),
                r.getString("reason"),
                figures instanceof JsonObject j ? GuardFigures.fromJson(j) : null,
                r.getOffsetDateTime("since").toInstant(),
                r.getString("changed_by"),
                r.getLong("version"));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
