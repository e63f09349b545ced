package io.cutover.observability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per period for an event that can happen on every request (a write lost to a full memory
 * buffer while the router's database is away): the first occurrence is logged, the next ones within the period only
 * counted, and the next line says how many were not logged. Lock-free; a metric keeps the exact count.
 */
public final class LogThrottle {

    private final long periodNanos;
    private final AtomicLong nextAt;
    private final AtomicLong unlogged = new AtomicLong();

    public LogThrottle(Duration period) {
        this.periodNanos = period.toNanos();
        this.nextAt = new AtomicLong(Long.MIN_VALUE);
    }

    /**
     * One occurrence at {@code nowNanos} ({@link System#nanoTime()}): -1 when it is not to be logged (counted instead),
     * else how many occurrences since the last logged one were not logged.
     */
    public long admit(long nowNanos) {
        long next = nextAt.get();
        if ((next == Long.MIN_VALUE || nowNanos - next >= 0) && nextAt.compareAndSet(next, nowNanos + periodNanos)) {
            return unlogged.getAndSet(0);
        }
        unlogged.incrementAndGet();
        return -1;
    }
}
