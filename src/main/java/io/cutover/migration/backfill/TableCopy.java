package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.Rejects;
import io.cutover.migration.TableMapping;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Copies one table (or a shard's range of it) page by page: while page n is written, page n+1 is already being
 * read, and with several writers, up to that many pages are written at once. Checkpoints advance in page order.
 * A page that V2 refuses for a row's sake (a data exception or a constraint, SQLSTATE class 22 or 23) is cut in
 * halves and written again until the refused rows are alone; those go to {@link Rejects}, the rest goes in.
 * Rows set aside by earlier runs are tried again first.
 */
final class TableCopy {

    /** SQLSTATE deadlock_detected. */
    private static final String DEADLOCK = "40P01";
    private static final int DEADLOCK_RETRIES = 3;

    /** Batches the whole run may still write; shared by the tables of one run. */
    static final class Budget {
        private long left;

        Budget(long maxBatches) {
            this.left = maxBatches <= 0 ? Long.MAX_VALUE : maxBatches;
        }

        boolean take() {
            return left-- > 0;
        }

        boolean exhausted() {
            return left <= 0;
        }
    }

    /** Where the copy writes and keeps its state. */
    record Sinks(Pool target, Checkpoints checkpoints, boolean checkpointInTarget, Rejects rejects, String run) {
    }

    /** What holds the copy back: the rate, the target's health, the rejects allowed. */
    record Limits(Throttle rate, HealthThrottle health, RejectBudget rejects) {
    }

    private final TableMapping table;
    private final PageReader reader;
    private final UpsertWriter writer;
    private final Sinks sinks;
    private final Limits limits;
    private final Progress progress;
    private final Ticker ticker;
    private final int writers;
    private final Set<String> rejectedKeys = new HashSet<>();
    /** Keys of this table set aside by earlier runs and not yet written again in this one. */
    private final Set<String> earlierRejects = new HashSet<>();
    private final List<Rejects.Reject> firstRejects = new ArrayList<>();

    /**
     * @param writers pages written at once, each in its own transaction on its own connection; with one, a page
     *                and its checkpoint commit together (when the checkpoint lives in the target)
     */
    TableCopy(TableMapping table, PageReader reader, UpsertWriter writer, Sinks sinks, Limits limits,
              Progress progress, Ticker ticker, int writers) {
        this.table = table;
        this.reader = reader;
        this.writer = writer;
        this.sinks = sinks;
        this.limits = limits;
        this.progress = progress;
        this.ticker = ticker;
        this.writers = writers;
    }

    TableResult run(Checkpoints.Checkpoint from, Budget budget, int batchSize) {
        long started = ticker.nanos();
        long pausedBefore = limits.health().pausedNanos();
        progress.start(table.name(), from.rows(), from.rows() + Await.result(reader.remaining(from.lastKey())));
        if (budget.exhausted()) {
            return result(new Tally(from.rows()), started, pausedBefore, false);
        }
        Tally tally = new Tally(from.rows());
        earlierRejects.addAll(sinks.rejects().keys(table.name()));
        if (from.lastKey() != null) {
            retryRejects(from.lastKey(), tally, batchSize);
        }
        ArrayDeque<InFlight> inFlight = new ArrayDeque<>(writers);
        Future<Page> next = reader.read(from.lastKey());
        boolean complete = true;
        long queued = from.rows();
        while (true) {
            Page page = Await.result(next);
            if (page.size() == 0) {
                break;
            }
            if (!budget.take()) {
                complete = false;
                break;
            }
            limits.health().await(progress);
            limits.rate().acquire(page.size());
            next = page.size() < batchSize ? Future.succeededFuture(Page.EMPTY) : reader.read(page.lastKey());
            queued += page.size();
            var checkpoint = new Checkpoints.Checkpoint(page.lastKey(), queued);
            inFlight.add(new InFlight(write(page, checkpoint), checkpoint, page));
            if (inFlight.size() >= writers) {
                settle(inFlight.poll(), tally);
            }
        }
        while (!inFlight.isEmpty()) {
            settle(inFlight.poll(), tally);
        }
        progress.finish(tally.done);
        return result(tally, started, pausedBefore, complete);
    }

    private TableResult result(Tally tally, long started, long pausedBefore, boolean complete) {
        return new TableResult(table.name(), tally.rows, tally.inserted, tally.updated, ticker.nanos() - started,
                complete, rejectedKeys.size(), tally.cleared, limits.health().pausedNanos() - pausedBefore,
                List.copyOf(firstRejects));
    }

    /** A page being written, and the checkpoint to save once it and every page before it committed. */
    private record InFlight(Future<Written> write, Checkpoints.Checkpoint checkpoint, Page page) {
    }

    private static final class Tally {
        long done;
        long rows;
        long inserted;
        long updated;
        long cleared;

        Tally(long done) {
            this.done = done;
        }
    }

    /**
     * Waits for the oldest page in flight; with several writers, saves its checkpoint only now, in page
     * order, so that the checkpoint never passes a page that has not committed (a killed run redoes at
     * most the pages that were in flight, and the upsert makes that a no-op).
     */
    private void settle(InFlight page, Tally tally) {
        Written written = Await.result(page.write());
        if (writers > 1) {
            Await.result(sinks.checkpoints().save(sinks.checkpoints().db(), table.name(), page.checkpoint()));
        }
        tally.done += page.page().size();
        tally.rows += page.page().size();
        tally.inserted += written.inserted();
        tally.updated += written.updated();
        countRejected(written.rejected());
        clearEarlierRejects(page.page(), written, tally);
        progress.update(tally.done);
    }

    /** Earlier rejects among the page's rows that went in this time are deleted from the rejects. */
    private void clearEarlierRejects(Page page, Written written, Tally tally) {
        if (earlierRejects.isEmpty()) {
            return;
        }
        Set<String> refused = new HashSet<>();
        written.rejected().forEach(r -> refused.add(r.key()));
        List<String> cleared = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            String key = page.key(i);
            if (earlierRejects.remove(key) && !refused.contains(key)) {
                cleared.add(key);
            }
        }
        Await.result(sinks.rejects().clear(table.name(), cleared));
        tally.cleared += cleared.size();
    }

    private void countRejected(List<Rejects.Reject> rejected) {
        long added = 0;
        for (Rejects.Reject reject : rejected) {
            if (rejectedKeys.add(reject.key())) {
                added++;
                if (firstRejects.size() < TableResult.FIRST_REJECTS) {
                    firstRejects.add(reject);
                }
            }
        }
        if (added > 0) {
            progress.rejected(rejectedKeys.size());
            limits.rejects().take(added);
        }
    }

    /**
     * When resuming: earlier runs' rejects of this table in the part of the range already behind the checkpoint
     * (the pages ahead will meet the others): each is read from V1 again and written; those that go in (or are gone
     * from V1) are deleted from the rejects, the others stay with their new error.
     */
    private void retryRejects(String checkpointKey, Tally tally, int batchSize) {
        if (earlierRejects.isEmpty()) {
            return;
        }
        List<String> mine = Await.result(reader.inRange(List.copyOf(earlierRejects), checkpointKey));
        earlierRejects.removeAll(mine);
        for (int i = 0; i < mine.size(); i += batchSize) {
            List<String> chunk = mine.subList(i, Math.min(mine.size(), i + batchSize));
            Page page = Await.result(reader.readKeys(chunk));
            Written written = page.size() == 0 ? Written.NONE : Await.result(isolate(page));
            Set<String> still = new HashSet<>();
            written.rejected().forEach(r -> still.add(r.key()));
            List<String> cleared = new ArrayList<>(new LinkedHashSet<>(chunk));
            cleared.removeAll(still);
            Await.result(sinks.rejects().record(written.rejected(), sinks.run()));
            Await.result(sinks.rejects().clear(table.name(), cleared));
            tally.cleared += cleared.size();
            tally.inserted += written.inserted();
            tally.updated += written.updated();
            tally.rows += page.size();
            countRejected(written.rejected());
        }
    }

    private Future<Written> write(Page page, Checkpoints.Checkpoint checkpoint) {
        boolean together = writers == 1 && sinks.checkpointInTarget();
        Future<Written> written = attempt(page, together ? checkpoint : null)
                .recover(e -> refused(e) ? isolateRefused(page, e)
                        .compose(w -> sinks.rejects().record(w.rejected(), sinks.run()).map(w)) : Future.failedFuture(e));
        if (writers > 1) {
            return written;
        }
        return written.compose(w -> w.checkpointSaved() ? Future.succeededFuture(w)
                : sinks.checkpoints().save(sinks.checkpoints().db(), table.name(), checkpoint).map(w));
    }

    /** One transaction: the page's upsert, and its checkpoint when given. */
    private Future<Written> attempt(Page page, Checkpoints.Checkpoint checkpoint) {
        // Two transactions (pages, or shards) may both insert the same template (beforeBatch) and then wait on each
        // other: PostgreSQL breaks the cycle by failing one, which is then simply written again.
        return retryDeadlock(() -> sinks.target().withTransaction(conn -> writer.write(conn, page)
                .compose(counts -> checkpoint == null ? Future.succeededFuture(Written.of(counts, false))
                        : sinks.checkpoints().save(conn, table.name(), checkpoint).map(Written.of(counts, true)))),
                DEADLOCK_RETRIES);
    }

    /** Writes the page, setting aside each row V2 refuses; fails only on an error that is not about a row. */
    private Future<Written> isolate(Page page) {
        return attempt(page, null).recover(e -> refused(e) ? isolateRefused(page, e) : Future.failedFuture(e));
    }

    /** The page was refused with {@code error}: a single row is set aside, a larger page is written in halves. */
    private Future<Written> isolateRefused(Page page, Throwable error) {
        if (page.size() == 1) {
            PgException pg = (PgException) error;
            String key = page.key(0);
            String message = pg.getErrorMessage() + (pg.getDetail() == null ? "" : " (" + pg.getDetail() + ")");
            return reader.rowJson(key).otherwise((String) null).map(json ->
                    Written.rejected(new Rejects.Reject(table.name(), key, json, message, pg.getSqlState())));
        }
        int mid = page.size() / 2;
        return isolate(page.slice(0, mid)).compose(a -> isolate(page.slice(mid, page.size())).map(a::plus));
    }

    /** Whether V2 refused a row of the page: a data exception (22xxx) or an integrity constraint (23xxx). */
    static boolean refused(Throwable e) {
        return e instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("22") || pg.getSqlState().startsWith("23"));
    }

    private static <T> Future<T> retryDeadlock(Supplier<Future<T>> attempt, int retries) {
        return attempt.get().recover(e -> retries > 0 && e instanceof PgException pg && DEADLOCK.equals(pg.getSqlState())
                ? retryDeadlock(attempt, retries - 1) : Future.failedFuture(e));
    }
}
