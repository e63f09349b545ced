package io.cutover.rollback;

import io.cutover.database.ChangeFeed;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
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
    private volatile ChangeFeed feed;

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
        feed = new ChangeFeed(vertx, listenOptions, CHANNEL, "shared rollback latch", pollInterval, this::step);
        latch.addListener(this);
        try {
            read().toCompletionStage().toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("rollback latch read from the database: %s (by=%s, since=%s)",
                    latch.state().state(), latch.state().by(), latch.state().since());
        } catch (Exception e) {
            errors.failed("read");
            LOG.warnf("cannot read the shared rollback latch at start (%s): starting %s, retrying every %s",
                    ChangeFeed.rootMessage(e), latch.state().state(), pollInterval);
        }
        feed.start();
    }

    void stop() {
        latch.removeListener(this);
        ChangeFeed f = feed;
        if (f != null) {
            f.stop();
        }
    }

    @Override
    public void changed(LatchState before, LatchState after, boolean local) {
        if (local) {
            pending.set(after);
            sync();
        }
    }

    /** Whether this replica's LISTEN is in place: a NOTIFY of another replica now reaches it at once. */
    boolean listening() {
        ChangeFeed f = feed;
        return f != null && f.subscribed();
    }

    /** Whether a local change is not yet in the shared row (the database is slow or unreachable). */
    public boolean hasUnwrittenChange() {
        return pending.get() != null;
    }

    /** Writes a pending local change, else reads the shared row and adopts it (now, or right after the sync in flight). */
    void sync() {
        ChangeFeed f = feed;
        if (f != null) {
            f.trigger();
        }
    }

    private Future<LatchState> step() {
        LatchState toWrite = pending.get();
        boolean wasFailing = feed != null && feed.failing();
        return (toWrite != null ? write(toWrite) : read()).onComplete(ar -> {
            if (ar.failed()) {
                errors.failed(toWrite != null ? "write" : "read");
            } else if (wasFailing && toWrite != null) {
                LOG.infof("shared rollback latch: wrote the change made while the database was unreachable (%s by %s)",
                        toWrite.state(), toWrite.by());
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
}
