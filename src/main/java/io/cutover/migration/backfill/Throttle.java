package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Sleeper;

/** Holds the copy at or below a rate: a batch waits until the rows before it are due at that rate. */
final class Throttle {

    private final long rowsPerSecond;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private long start = -1;
    private long granted;

    Throttle(long rowsPerSecond, Ticker ticker, Sleeper sleeper) {
        this.rowsPerSecond = rowsPerSecond;
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    void acquire(int rows) {
        if (rowsPerSecond <= 0) {
            return;
        }
        long now = ticker.nanos();
        if (start < 0) {
            start = now;
        }
        long due = start + (long) (granted * 1e9 / rowsPerSecond);
        granted += rows;
        if (due > now) {
            sleeper.sleep(due - now);
        }
    }
}
