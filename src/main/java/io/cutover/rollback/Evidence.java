package io.cutover.rollback;

import io.cutover.routing.Backend;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the guard has seen of each backend since its evidence last started afresh: requests that
 * reached the backend, of which failures and calls slower than the latency threshold, and calls
 * its breaker short-circuited (shown, never judged). Evidence accumulates across evaluations, so
 * a verdict comes at any traffic level once enough requests have been seen.
 * <p>
 * It is kept in two series that each start afresh every {@code horizon}, half a horizon apart: so
 * the guard never weighs evidence older than a horizon, and always holds at least half a horizon of
 * it (a change of V2's behaviour is never diluted by more than a horizon of the past, and never
 * judged on less than half of one once traffic has run that long). Recording is a few atomic
 * increments; a call recorded during a restart of its series may be lost.
 */
final class Evidence {

    static final int REQUESTS = 0;
    static final int FAILURES = 1;
    static final int SLOW = 2;
    static final int SHORT_CIRCUITS = 3;
    private static final int FIELDS = 4;

    /** One backend's counts in one series. */
    record Counts(long requests, long failures, long slow, long shortCircuits) {
        static final Counts NONE = new Counts(0, 0, 0, 0);

        long successes() {
            return requests - failures;
        }

        long fast() {
            return requests - slow;
        }
    }

    /** One series' counts of both backends, and since when (ticker nanoseconds). */
    record Snapshot(long sinceNanos, long spanNanos, Counts v1, Counts v2) {
    }

    private static final class Series {
        final long start;
        final long end;
        final AtomicLongArray counts = new AtomicLongArray(FIELDS * Backend.values().length);

        Series(long start, long end) {
            this.start = start;
            this.end = end;
        }

        Counts of(Backend b) {
            int base = b.ordinal() * FIELDS;
            return new Counts(counts.get(base + REQUESTS), counts.get(base + FAILURES), counts.get(base + SLOW),
                    counts.get(base + SHORT_CIRCUITS));
        }
    }

    private volatile Series older;
    private volatile Series younger;
    private long horizonNanos;

    Evidence(long now, long horizonNanos) {
        restart(now, horizonNanos);
    }

    /** Forgets everything: the series start now, one of them to be restarted after half a horizon. */
    synchronized void restart(long now, long horizonNanos) {
        this.horizonNanos = Math.max(1, horizonNanos);
        older = new Series(now, now + this.horizonNanos);
        younger = new Series(now, now + this.horizonNanos / 2);
    }

    long horizonNanos() {
        return horizonNanos;
    }

    /**
     * A call that reached the backend, at {@code now}. A series whose time is up is restarted first, so that a call
     * is never counted into a series the next {@link #roll} throws away (the clock may have passed its end with no
     * evaluation in between).
     */
    void call(Backend backend, boolean failure, boolean slow, long now) {
        rollIfDue(now);
        int base = backend.ordinal() * FIELDS;
        add(older, base, failure, slow);
        add(younger, base, failure, slow);
    }

    private static void add(Series s, int base, boolean failure, boolean slow) {
        s.counts.incrementAndGet(base + REQUESTS);
        if (failure) {
            s.counts.incrementAndGet(base + FAILURES);
        }
        if (slow) {
            s.counts.incrementAndGet(base + SLOW);
        }
    }

    /** A call the backend's open breaker refused: not evidence about the backend, only shown. */
    void shortCircuit(Backend backend, long now) {
        rollIfDue(now);
        int base = backend.ordinal() * FIELDS + SHORT_CIRCUITS;
        older.counts.incrementAndGet(base);
        younger.counts.incrementAndGet(base);
    }

    private void rollIfDue(long now) {
        if (now >= younger.end || now >= older.end) {
            roll(now);
        }
    }

    /** Restarts the series that are a horizon old; returns both, the one with more history first. */
    synchronized Snapshot[] roll(long now) {
        if (now >= younger.end) {
            younger = new Series(now, now + horizonNanos);
        }
        if (now >= older.end) {
            older = new Series(now, now + horizonNanos);
        }
        if (younger.start < older.start) {
            Series s = older;
            older = younger;
            younger = s;
        }
        return new Snapshot[] {snapshot(older, now), snapshot(younger, now)};
    }

    private static Snapshot snapshot(Series s, long now) {
        return new Snapshot(s.start, Math.max(0, now - s.start), s.of(Backend.V1), s.of(Backend.V2));
    }
}
