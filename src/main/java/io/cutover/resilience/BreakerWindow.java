package io.cutover.resilience;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds one SmallRye breaker's rolling window in time. SmallRye counts the last
 * {@code request-volume} calls, however old; this keeps the time of the first call the closed
 * breaker recorded since it last started afresh, and says when that call is older than
 * {@code window}: the caller then resets the breaker (its maintenance API), so every call that can
 * open it is younger than {@code window}. It also remembers, when the breaker opens, since when the
 * calls that opened it were made: the evidence behind its short-circuits.
 */
final class BreakerWindow {

    static final long NONE = Long.MIN_VALUE;

    private final long windowNanos;
    private final AtomicLong firstCall = new AtomicLong(NONE);
    private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
    private volatile long evidenceSince = NONE;

    BreakerWindow(Duration window, String key) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException(key + ": " + window + " (expected: > 0)");
        }
        this.windowNanos = window.toNanos();
    }

    /**
     * Called before each call while the breaker is closed. True when the breaker's window must
     * start afresh now (its first call is {@code window} old): exactly one caller is told so.
     */
    boolean agedOut(long now) {
        long first = firstCall.get();
        if (first == NONE) {
            firstCall.compareAndSet(NONE, now);
            return false;
        }
        return now - first >= windowNanos && firstCall.compareAndSet(first, now);
    }

    /**
     * The breaker's state as its maintenance API reports it before a call: a reset from outside
     * (an operator, {@code CircuitBreakerMaintenance.resetAll()}) closes it without a state-change
     * callback, so a closed breaker seen here while this still thinks it open starts afresh.
     */
    void observe(CircuitBreakerState actual) {
        if (actual == CircuitBreakerState.CLOSED && state != CircuitBreakerState.CLOSED) {
            state = CircuitBreakerState.CLOSED;
            firstCall.set(NONE);
        }
    }

    /** The breaker moved to {@code next} (its own state-change callback). */
    void moved(CircuitBreakerState next, long now) {
        CircuitBreakerState before = state;
        state = next;
        if (next == CircuitBreakerState.OPEN) {
            long first = firstCall.get();
            // from closed: the calls in its window, all since firstCall; from half-open: the failed probe
            evidenceSince = before == CircuitBreakerState.CLOSED && first != NONE ? first : now;
        } else if (next == CircuitBreakerState.CLOSED) {
            firstCall.set(NONE);
        }
    }

    /** Since when the calls that opened the breaker last were made; {@link #NONE} if it never opened. */
    long evidenceSince() {
        return evidenceSince;
    }
}
