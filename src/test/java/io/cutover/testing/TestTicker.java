package io.cutover.testing;

import io.cutover.clock.Ticker;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ticker of the Quarkus tests: real monotonic time (so latencies stay real) plus an offset the
 * tests move forward to slide the rollback guard's windows without sleeping.
 */
@Singleton
public class TestTicker implements Ticker {

    private final AtomicLong offset = new AtomicLong();

    @Override
    public long nanos() {
        return System.nanoTime() + offset.get();
    }

    public void advance(Duration d) {
        offset.addAndGet(d.toNanos());
    }
}
