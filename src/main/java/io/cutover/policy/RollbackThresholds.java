package io.cutover.policy;

import java.time.Duration;

/**
 * What the rollback guard judges V2 against (docs/rollback.md). The guard weighs the evidence
 * gathered over at most {@link #horizon()} (V2's and V1's requests and failures, and their calls
 * slower than {@link #p99LatencyMs()}) with a time-uniform confidence sequence, and:
 * <ul>
 *   <li>latches when V2's error rate is shown, at {@link #confidence()}, above {@link #errorRate()}
 *       and above V1's rate plus the V1 margin (or V2's share of calls slower than
 *       {@code p99LatencyMs} above 1 % and above V1's share plus {@link #latencyMargin()});</li>
 *   <li>calls V2 healthy (what promotes a progression) when its error rate is shown, at
 *       {@link #promoteConfidence()}, below {@code errorRate}, on at least {@link #minRequests()}
 *       requests, and it is not shown slow.</li>
 * </ul>
 *
 * @param errorRate         the V2 error rate (0 to 1) that must not be exceeded
 * @param minRequests       the fewest V2 requests on which V2 may be called healthy (never needed to latch)
 * @param window            the span of the recent figures shown in status, and the unit in which a run of
 *                          verdicts that cannot judge V2 is counted; it no longer bounds the evidence
 * @param p99LatencyMs      V2's p99 must stay under this: more than 1 % of calls slower is too slow
 * @param confidence        how sure the guard must be that V2 is worse before it latches (0.5 to 1, exclusive)
 * @param promoteConfidence how sure it must be that V2 is under {@code errorRate} to call it healthy
 * @param horizon           the oldest evidence the guard weighs: its evidence starts afresh every horizon,
 *                          in two series half a horizon apart, so it always holds at least half a horizon
 * @param latencyMargin     V2's share of slow calls must exceed V1's by more than this to latch
 */
public record RollbackThresholds(double errorRate, int minRequests, Duration window, long p99LatencyMs,
                                 double confidence, double promoteConfidence, Duration horizon, double latencyMargin) {

    /** {@value} */
    public static final double DEFAULT_ERROR_RATE = 0.05;
    /** {@value} */
    public static final int DEFAULT_MIN_REQUESTS = 20;
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    /** {@value} */
    public static final long DEFAULT_P99_LATENCY_MS = 2000;
    /** {@value} */
    public static final double DEFAULT_CONFIDENCE = 0.9999;
    /** {@value} */
    public static final double DEFAULT_PROMOTE_CONFIDENCE = 0.95;
    public static final Duration DEFAULT_HORIZON = Duration.ofMinutes(10);
    public static final Duration MAX_HORIZON = Duration.ofHours(1);
    /** {@value} */
    public static final double DEFAULT_LATENCY_MARGIN = 0.01;

    public static final RollbackThresholds DEFAULTS =
            new RollbackThresholds(DEFAULT_ERROR_RATE, DEFAULT_MIN_REQUESTS, DEFAULT_WINDOW, DEFAULT_P99_LATENCY_MS);

    /** The four thresholds of old, with the defaults of the others. */
    public RollbackThresholds(double errorRate, int minRequests, Duration window, long p99LatencyMs) {
        this(errorRate, minRequests, window, p99LatencyMs, DEFAULT_CONFIDENCE, DEFAULT_PROMOTE_CONFIDENCE,
                DEFAULT_HORIZON, DEFAULT_LATENCY_MARGIN);
    }

    /** The same thresholds with another confidence (to latch) and horizon. */
    public RollbackThresholds withEvidence(double confidence, double promoteConfidence, Duration horizon) {
        return new RollbackThresholds(errorRate, minRequests, window, p99LatencyMs, confidence, promoteConfidence, horizon,
                latencyMargin);
    }
}
