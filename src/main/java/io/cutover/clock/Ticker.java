package io.cutover.clock;

/** Monotonic nanoseconds for windows, cooldowns, backoff and latencies; tests inject their own. */
@FunctionalInterface
public interface Ticker {

    Ticker SYSTEM = System::nanoTime;

    long nanos();
}
