package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.ShardProgressLog;
import java.time.Duration;

/**
 * Progress that also records this shard's state in the router's database ({@link ShardProgressLog}): on each
 * table's start, pause, wait and end, and every {@link #INTERVAL} while copying.
 */
public final class RecordedProgress implements Progress {

    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final Progress delegate;
    private final ShardProgressLog log;
    private final Ticker ticker;
    private String table;
    private String state = "copying";
    private String note;
    private long total;
    private long startDone;
    private long done;
    private long startNanos;
    private long lastSave;
    private long rejectedBefore;
    private long rejectedInTable;

    public RecordedProgress(Progress delegate, ShardProgressLog log, Ticker ticker) {
        this.delegate = delegate;
        this.log = log;
        this.ticker = ticker;
    }

    @Override
    public void start(String name, long alreadyDone, long rows) {
        delegate.start(name, alreadyDone, rows);
        rejectedBefore += rejectedInTable;
        rejectedInTable = 0;
        table = name;
        total = rows;
        startDone = alreadyDone;
        done = alreadyDone;
        startNanos = ticker.nanos();
        state = "copying";
        note = null;
        save();
    }

    @Override
    public void update(long rows) {
        delegate.update(rows);
        done = rows;
        if (ticker.nanos() - lastSave >= INTERVAL.toNanos()) {
            save();
        }
    }

    @Override
    public void finish(long rows) {
        delegate.finish(rows);
        done = rows;
        save();
    }

    @Override
    public void paused(double value, double max) {
        delegate.paused(value, max);
        state = "paused";
        note = "throttle query " + value + " > " + max;
        save();
    }

    @Override
    public void resumed(double value, long pausedNanos) {
        delegate.resumed(value, pausedNanos);
        state = "copying";
        note = null;
        save();
    }

    @Override
    public void waiting(String waitingTable, String message) {
        delegate.waiting(waitingTable, message);
        table = waitingTable;
        state = "waiting";
        note = message;
        save();
    }

    @Override
    public void rejected(long rows) {
        delegate.rejected(rows);
        rejectedInTable = rows;
    }

    /** The run ended: done, stopped (--max-batches) or failed (with why). */
    public void ended(String endState, String why) {
        state = endState;
        note = why;
        save();
    }

    private void save() {
        long now = ticker.nanos();
        lastSave = now;
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds <= 0 ? 0 : (done - startDone) / seconds;
        Long eta = rate > 0 ? (long) (Math.max(0, total - done) / rate) : null;
        log.save(new ShardProgressLog.Entry(state, table, done, total, rate, eta, rejectedBefore + rejectedInTable, note));
    }
}
