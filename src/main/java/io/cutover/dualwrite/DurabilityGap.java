package io.cutover.dualwrite;

import java.time.Instant;

/**
 * A span during which intents could not be made durable (the router's database was down): from
 * the first to the last such write, how many, how many were flushed later, and whether the memory
 * buffer overflowed (then some secondary writes are lost and the span must be backfilled).
 */
public record DurabilityGap(Instant from, Instant to, long held, long flushed, long lost) {

    public boolean overflowed() {
        return lost > 0;
    }

    DurabilityGap hold(Instant now) {
        return new DurabilityGap(from, now, held + 1, flushed, lost);
    }

    DurabilityGap lose(Instant now) {
        return new DurabilityGap(from, now, held, flushed, lost + 1);
    }

    DurabilityGap flushed(long n) {
        return new DurabilityGap(from, to, held, flushed + n, lost);
    }

    static DurabilityGap startingAt(Instant now) {
        return new DurabilityGap(now, now, 0, 0, 0);
    }
}
