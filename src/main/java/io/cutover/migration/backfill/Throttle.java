package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;

/** Holds the copy at or below a rate: a batch waits until the rows before it are due at that rate. */
final class Throttle {

    /** Waits; tests pass one that advances their ticker instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));

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
            try {
                sleeper.sleepNanos(due - now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
