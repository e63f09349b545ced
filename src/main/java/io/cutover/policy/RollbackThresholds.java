package io.cutover.policy;

import java.time.Duration;

/**
 * When the rollback guard latches: over {@link #window()}, with at least {@link #minRequests()} V2
 * requests, V2's error rate above {@link #errorRate()} or its p99 above {@link #p99LatencyMs()}.
 */
public record RollbackThresholds(double errorRate, int minRequests, Duration window, long p99LatencyMs) {

    /** {@value} */
    public static final double DEFAULT_ERROR_RATE = 0.05;
    /** {@value} */
    public static final int DEFAULT_MIN_REQUESTS = 100;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** {@value} */
    public static final long DEFAULT_P99_LATENCY_MS = 2000;

    public static final RollbackThresholds DEFAULTS =
            new RollbackThresholds(DEFAULT_ERROR_RATE, DEFAULT_MIN_REQUESTS, DEFAULT_WINDOW, DEFAULT_P99_LATENCY_MS);
}
