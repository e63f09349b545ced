package io.cutover.rollback;

/**
 * How long the guard has been unable to judge V2 (no V2 data, or not yet enough evidence): the run
 * of verdicts that could not judge it since the last conclusive one. A run is counted in whole windows: one
 * window is counted for each full {@code rollback.window} of the run, so that an hour of blindness
 * over a 10 s window counts 360, however often the guard evaluates. A conclusive verdict ends the run.
 */
final class BlindSpell {

    static final long NONE = Long.MIN_VALUE;

    private long since = NONE;
    private long countedUntil;
    private long windows;
    private long total;

    /** Records one verdict at {@code now}; returns how many windows it completed (0 or more). */
    synchronized long observe(boolean inconclusive, long now, long windowNanos) {
        if (!inconclusive) {
            since = NONE;
            windows = 0;
            return 0;
        }
        if (since == NONE) {
            since = now;
            countedUntil = now;
        }
        long done = windowNanos <= 0 ? 0 : (now - countedUntil) / windowNanos;
        if (done > 0) {
            countedUntil += done * windowNanos;
            windows += done;
            total += done;
        }
        return done;
    }

    /** Inconclusive windows in the current run; 0 when the last verdict was conclusive. */
    synchronized long windows() {
        return windows;
    }

    /** Inconclusive windows counted since start. */
    synchronized long total() {
        return total;
    }

    /** Ticker nanoseconds at which the current run began, {@link #NONE} if none. */
    synchronized long since() {
        return since;
    }

    synchronized void reset() {
        since = NONE;
        windows = 0;
    }
}
