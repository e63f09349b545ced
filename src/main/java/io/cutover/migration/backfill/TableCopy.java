package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.TableMapping;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Copies one table page by page: while page n is written, page n+1 is already being read, and with
 * several writers, up to that many pages are written at once. Checkpoints advance in page order.
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

    private final TableMapping table;
    private final PageReader reader;
    private final UpsertWriter writer;
    private final Pool target;
    private final Checkpoints checkpoints;
    private final boolean checkpointInTarget;
    private final Throttle throttle;
    private final Progress progress;
    private final Ticker ticker;
    private final int writers;

    /**
     * @param writers pages written at once, each in its own transaction on its own connection; with one, a page
     *                and its checkpoint commit together (when the checkpoint lives in the target)
     */
    TableCopy(TableMapping table, PageReader reader, UpsertWriter writer, Pool target, Checkpoints checkpoints,
              boolean checkpointInTarget, Throttle throttle, Progress progress, Ticker ticker, int writers) {
        this.writers = writers;
        this.table = table;
        this.reader = reader;
        this.writer = writer;
        this.target = target;
        this.checkpoints = checkpoints;
        this.checkpointInTarget = checkpointInTarget;
        this.throttle = throttle;
        this.progress = progress;
        this.ticker = ticker;
    }

    TableResult run(Checkpoints.Checkpoint from, Budget budget, int batchSize) {
        long started = ticker.nanos();
        progress.start(table.name(), from.rows(), from.rows() + Await.result(reader.remaining(from.lastKey())));
        if (budget.exhausted()) {
            return new TableResult(table.name(), 0, 0, 0, ticker.nanos() - started, false);
        }
        Tally tally = new Tally(from.rows());
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
            throttle.acquire(page.size());
            next = page.size() < batchSize ? Future.succeededFuture(Page.EMPTY) : reader.read(page.lastKey());
            queued += page.size();
            var checkpoint = new Checkpoints.Checkpoint(page.lastKey(), queued);
            inFlight.add(new InFlight(write(page, checkpoint), checkpoint, page.size()));
            if (inFlight.size() >= writers) {
                settle(inFlight.poll(), tally);
            }
        }
        while (!inFlight.isEmpty()) {
            settle(inFlight.poll(), tally);
        }
        progress.finish(tally.done);
        return new TableResult(table.name(), tally.rows, tally.inserted, tally.updated, ticker.nanos() - started, complete);
    }

    /** A page being written, and the checkpoint to save once it and every page before it committed. */
    private record InFlight(Future<UpsertWriter.Counts> write, Checkpoints.Checkpoint checkpoint, int rows) {
    }

    private static final class Tally {
        long done;
        long rows;
        long inserted;
        long updated;

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
        UpsertWriter.Counts counts = Await.result(page.write());
        if (writers > 1) {
            Await.result(checkpoints.save(checkpoints.db(), table.name(), page.checkpoint()));
        }
        tally.done += page.rows();
        tally.rows += page.rows();
        tally.inserted += counts.inserted();
        tally.updated += counts.updated();
        progress.update(tally.done);
    }

    private Future<UpsertWriter.Counts> write(Page page, Checkpoints.Checkpoint checkpoint) {
        if (writers > 1) {
            // Two pages' transactions may both insert the same template (beforeBatch) and then wait on each
            // other: PostgreSQL breaks the cycle by failing one, which is then simply written again.
            return retryDeadlock(() -> target.withTransaction(conn -> writer.write(conn, page)), DEADLOCK_RETRIES);
        }
        if (checkpointInTarget) {
            return target.withTransaction(conn -> writer.write(conn, page)
                    .compose(counts -> checkpoints.save(conn, table.name(), checkpoint).map(counts)));
        }
        return target.withTransaction(conn -> writer.write(conn, page))
                .compose(counts -> checkpoints.save(checkpoints.db(), table.name(), checkpoint).map(counts));
    }

    private static <T> Future<T> retryDeadlock(Supplier<Future<T>> attempt, int retries) {
        return attempt.get().recover(e -> retries > 0 && e instanceof PgException pg && DEADLOCK.equals(pg.getSqlState())
                ? retryDeadlock(attempt, retries - 1) : Future.failedFuture(e));
    }
}
