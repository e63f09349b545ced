package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.JobFailure;
import io.cutover.migration.Sleeper;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;

/**
 * Pauses the copy while the target is unwell, as gh-ost does: {@code --throttle-query} (one number, run on V2 at
 * most every {@link #INTERVAL}) above {@code --throttle-max} holds the next page back, and the query runs again
 * every {@link #INTERVAL} until it is at or below the maximum. The pause is said on the progress line and counted
 * in the summary.
 */
final class HealthThrottle {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final HealthThrottle NONE = new HealthThrottle(null, 0, () -> 0, nanos -> { });

    /** The target's health as one number (replication lag in seconds, WAL bytes, load...). */
    @FunctionalInterface
    interface Probe {
        double value();

        /** Runs {@code sql} on the target; its first column of its first row must be a number. */
        static Probe sql(Pool target, String sql) {
            return () -> {
                Object value;
                try {
                    var rows = Await.result(target.query(sql).execute());
                    Row row = rows.size() == 0 ? null : rows.iterator().next();
                    value = row == null || row.size() == 0 ? null : row.getValue(0);
                } catch (RuntimeException e) {
                    throw new JobFailure(JobFailure.UNUSABLE, "--throttle-query failed on v2: " + e.getMessage(), e);
                }
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                throw new JobFailure(JobFailure.UNUSABLE, "--throttle-query must return one number (first column of"
                        + " the first row); it returned " + (value == null ? "no value" : "'" + value + "'"));
            };
        }
    }

    private final Probe probe;
    private final double max;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private long lastCheck = Long.MIN_VALUE;
    private long pausedNanos;
    private long pauses;

    HealthThrottle(Probe probe, double max, Ticker ticker, Sleeper sleeper) {
        this.probe = probe;
        this.max = max;
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    boolean active() {
        return probe != null;
    }

    /** Runs the query once at start: one that fails or returns no number stops the job before it writes. */
    void validate() {
        probe.value();
    }

    private double check() {
        lastCheck = ticker.nanos();
        return probe.value();
    }

    /** Before a page: returns at once when healthy (or checked less than a second ago), else waits until healthy. */
    void await(Progress progress) {
        if (probe == null || (lastCheck != Long.MIN_VALUE && ticker.nanos() - lastCheck < INTERVAL.toNanos())) {
            return;
        }
        double value = check();
        if (value <= max) {
            return;
        }
        pauses++;
        long started = ticker.nanos();
        progress.paused(value, max);
        while (value > max) {
            sleeper.sleep(INTERVAL.toNanos());
            value = check();
        }
        long paused = ticker.nanos() - started;
        pausedNanos += paused;
        progress.resumed(value, paused);
    }

    long pausedNanos() {
        return pausedNanos;
    }

    long pauses() {
        return pauses;
    }
}
