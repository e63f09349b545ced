package io.cutover.rollback;

import io.vertx.core.json.JsonObject;

/**
 * One backend's evidence as the guard judged it.
 *
 * @param requests      calls that reached the backend (client-aborted calls and breaker short-circuits are not counted)
 * @param failures      of which failures, as {@link io.cutover.resilience.FailureClassifier} judges them (a 4xx is not)
 * @param errorRate     failures / requests, 0 without requests
 * @param p99Ms         99th percentile latency in milliseconds (within 12.5 %) over the same span (at most 10 minutes), 0
 *                      without requests
 * @param slow          of the requests, those slower than {@code rollback.p99LatencyMs}
 * @param shortCircuits calls refused by the backend's open breaker over the same span: shown, never judged (they say
 *                      nothing of the backend's own error rate)
 * @param errorRateLow  the lowest error rate the evidence leaves possible at the guard's confidence (0 without failures)
 * @param errorRateHigh the highest (1 without requests)
 */
public record WindowFigures(long requests, long failures, double errorRate, double p99Ms, long slow, long shortCircuits,
                            double errorRateLow, double errorRateHigh) {

    public static final WindowFigures EMPTY = new WindowFigures(0, 0, 0, 0, 0, 0, 0, 1);

    /** Counts and a p99 alone (a window of recent calls, no test). */
    public WindowFigures(long requests, long failures, double errorRate, double p99Ms) {
        this(requests, failures, errorRate, p99Ms, 0, 0, 0, 1);
    }

    static WindowFigures of(long requests, long failures, double p99Ms) {
        return new WindowFigures(requests, failures, requests == 0 ? 0 : (double) failures / requests, p99Ms);
    }

    WindowFigures withP99(double p99) {
        return new WindowFigures(requests, failures, errorRate, p99, slow, shortCircuits, errorRateLow, errorRateHigh);
    }

    JsonObject toJson() {
        return new JsonObject().put("requests", requests).put("failures", failures)
                .put("errorRate", errorRate).put("p99Ms", p99Ms).put("slow", slow).put("shortCircuits", shortCircuits)
                .put("errorRateLow", errorRateLow).put("errorRateHigh", errorRateHigh);
    }

    static WindowFigures fromJson(JsonObject json) {
        if (json == null) {
            return EMPTY;
        }
        return new WindowFigures(json.getLong("requests", 0L), json.getLong("failures", 0L),
                json.getDouble("errorRate", 0.0), json.getDouble("p99Ms", 0.0), json.getLong("slow", 0L),
                json.getLong("shortCircuits", 0L), json.getDouble("errorRateLow", 0.0), json.getDouble("errorRateHigh", 1.0));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "requests=%d failures=%d errorRate=%.4f (%.4f to %.4f) slow=%d p99Ms=%.1f shortCircuits=%d",
                requests, failures, errorRate, errorRateLow, errorRateHigh, slow, p99Ms, shortCircuits);
    }
}
