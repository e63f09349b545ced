package io.cutover.rollback;

import io.vertx.core.json.JsonObject;

/**
 * One backend's calls over the guard's window.
 *
 * @param requests  calls meant for the backend: those sent, and those its open breaker refused while the calls
 *                  that opened it are inside the window (client-aborted calls are not counted)
 * @param failures  of which failures, as {@link io.cutover.resilience.FailureClassifier} judges them
 * @param errorRate failures / requests, 0 without requests
 * @param p99Ms     99th percentile latency in milliseconds (within 12.5%), 0 without requests
 */
public record WindowFigures(long requests, long failures, double errorRate, double p99Ms) {

    public static final WindowFigures EMPTY = new WindowFigures(0, 0, 0, 0);

    static WindowFigures of(long requests, long failures, double p99Ms) {
        return new WindowFigures(requests, failures, requests == 0 ? 0 : (double) failures / requests, p99Ms);
    }

    JsonObject toJson() {
        return new JsonObject().put("requests", requests).put("failures", failures)
                .put("errorRate", errorRate).put("p99Ms", p99Ms);
    }

    static WindowFigures fromJson(JsonObject json) {
        if (json == null) {
            return EMPTY;
        }
        return new WindowFigures(json.getLong("requests", 0L), json.getLong("failures", 0L),
                json.getDouble("errorRate", 0.0), json.getDouble("p99Ms", 0.0));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "requests=%d failures=%d errorRate=%.4f p99Ms=%.1f",
                requests, failures, errorRate, p99Ms);
    }
}
