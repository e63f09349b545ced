package io.cutover.demo;

import java.time.Instant;

/**
 * Which readings a telemetry query asks for: {@code from} inclusive, {@code to} exclusive (either
 * may be {@code null} for unbounded), at most {@code limit} of them.
 */
record TimeWindow(Instant from, Instant to, int limit) {

    boolean contains(Instant timestamp) {
        return (from == null || !timestamp.isBefore(from)) && (to == null || timestamp.isBefore(to));
    }
}
