package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.TableMapping;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * Copies one table page by page: while page n is written (with its checkpoint, in one transaction
 * when checkpoints live in the target), page n+1 is already being read.
 */
final class TableCopy {

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

    TableCopy(TableMapping table, PageReader reader, UpsertWriter writer, Pool target, Checkpoints checkpoints,
              boolean checkpointInTarget, Throttle throttle, Progress progress, Ticker ticker) {
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
        long done = from.rows();
        long rows = 0;
        long inserted = 0;
        long updated = 0;
        progress.start(table.name(), done, done + Await.result(reader.remaining(from.lastKey())));
        if (budget.exhausted()) {
            return new TableResult(table.name(), 0, 0, 0, ticker.nanos() - started, false);
        }
        Future<Page> next = reader.read(from.lastKey());
        boolean complete = true;
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
            var checkpoint = new Checkpoints.Checkpoint(page.lastKey(), done + page.size());
            UpsertWriter.Counts counts = Await.result(write(page, checkpoint));
            done += page.size();
            rows += page.size();
            inserted += counts.inserted();
            updated += counts.updated();
            progress.update(done);
        }
        progress.finish(done);
        return new TableResult(table.name(), rows, inserted, updated, ticker.nanos() - started, complete);
    }

    private Future<UpsertWriter.Counts> write(Page page, Checkpoints.Checkpoint checkpoint) {
        if (checkpointInTarget) {
            return target.withTransaction(conn -> writer.write(conn, page)
                    .compose(counts -> checkpoints.save(conn, table.name(), checkpoint).map(counts)));
        }
        return target.withTransaction(conn -> writer.write(conn, page))
                .compose(counts -> checkpoints.save(checkpoints.db(), table.name(), checkpoint).map(counts));
    }
}
