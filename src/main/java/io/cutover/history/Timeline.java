package io.cutover.history;

import java.time.Duration;
import java.time.Instant;

/**
 * This replica's time axis: intervals counted on the injected ticker, named by the wall clock read once at
 * start. Interval boundaries fall on multiples of the interval in wall-clock time (10:20:00, 10:20:10, ...),
 * and a test that moves the ticker moves the whole axis with it.
 */
final class Timeline {

    private final long intervalNanos;
    private final long originTick;        // ticker value at the start of interval 0
    private final Instant originInstant;  // wall-clock name of that moment

    Timeline(Duration interval, long nowTick, Instant now) {
        this.intervalNanos = interval.toNanos();
        long intoInterval = Math.floorMod(now.toEpochMilli(), interval.toMillis());
        this.originTick = nowTick - intoInterval * 1_000_000L;
        this.originInstant = now.minusMillis(intoInterval).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** The interval that {@code tick} falls in. */
    long index(long tick) {
        return Math.floorDiv(tick - originTick, intervalNanos);
    }

    Instant startOf(long index) {
        return originInstant.plusNanos(index * intervalNanos);
    }

    /** {@code tick} named on the wall clock of this axis. */
    Instant instantOf(long tick) {
        return originInstant.plusNanos(tick - originTick);
    }

    /** How long until the interval {@code tick} falls in closes. */
    long nanosToClose(long tick) {
        return (index(tick) + 1) * intervalNanos - (tick - originTick);
    }
}
