package io.cutover.history;

/**
 * One backend over one interval.
 *
 * @param requests      requests meant for the backend (a call its open breaker refused included, as the
 *                      rollback guard counts it; a client that went away not)
 * @param failures      of which failed, as {@link io.cutover.resilience.FailureClassifier} judged them, or
 *                      refused by the open breaker
 * @param ratePerSecond requests per second over the interval
 * @param errorRate     failures / requests; {@code null} without requests (the curve has a gap, not a 0)
 * @param p99Ms         99th percentile of the backend's latency (the upper bound of the Micrometer
 *                      histogram bucket it falls in); {@code null} without a timed call
 */
public record BackendPoint(long requests, long failures, double ratePerSecond, Double errorRate, Double p99Ms) {

    static final BackendPoint EMPTY = new BackendPoint(0, 0, 0, null, null);
}
