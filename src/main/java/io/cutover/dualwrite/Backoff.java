package io.cutover.dualwrite;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with equal jitter: attempt n waits between half and all of min(max, initial x 2^(n-1)). */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.random = random;
    }

    public Duration after(int attempts) {
        int shift = Math.min(Math.max(attempts - 1, 0), 30);
        long ceiling = Math.min(maxMs, initialMs << shift);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
    }
}
