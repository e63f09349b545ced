package io.cutover.rollback;

import io.vertx.core.json.JsonObject;

/**
 * What a verdict rested on: both backends' evidence over the same span, the test, and how sure it
 * made the guard. Kept with a latch (the shared row's {@code figures}) and shown in status.
 *
 * @param windowMs          the span of the evidence (the verdict judged what was seen in the last {@code windowMs})
 * @param test              the test that weighed it ({@value #TEST})
 * @param confidence        the confidence a latch needs ({@code rollback.confidence})
 * @param promoteConfidence the confidence a healthy verdict needs ({@code rollback.promoteConfidence})
 * @param worseConfidence   how sure the evidence makes the guard that V2 is worse than its threshold and than V1 (error
 *                          rate, or slow calls when that is the nearer case): a latch when it reaches {@code confidence}
 * @param healthyConfidence how sure it is that V2's error rate is under its threshold: healthy when it reaches
 *                          {@code promoteConfidence} (on at least {@code rollback.minRequests} requests)
 */
public record GuardFigures(long windowMs, WindowFigures v1, WindowFigures v2, String test, double confidence,
                           double promoteConfidence, double worseConfidence, double healthyConfidence) {

    public static final String TEST = "beta-binomial confidence sequence (Robbins 1970; Howard et al. 2021)";

    /** Counts alone (an operator's latch, a window of recent calls). */
    public GuardFigures(long windowMs, WindowFigures v1, WindowFigures v2) {
        this(windowMs, v1, v2, null, 0, 0, 0, 0);
    }

    JsonObject toJson() {
        JsonObject j = new JsonObject().put("windowMs", windowMs).put("v1", v1.toJson()).put("v2", v2.toJson());
        if (test != null) {
            j.put("test", test).put("confidence", confidence).put("promoteConfidence", promoteConfidence)
                    .put("worseConfidence", worseConfidence).put("healthyConfidence", healthyConfidence);
        }
        return j;
    }

    static GuardFigures fromJson(JsonObject json) {
        if (json == null) {
            return null;
        }
        return new GuardFigures(json.getLong("windowMs", 0L),
                WindowFigures.fromJson(json.getJsonObject("v1")), WindowFigures.fromJson(json.getJsonObject("v2")),
                json.getString("test"), json.getDouble("confidence", 0.0), json.getDouble("promoteConfidence", 0.0),
                json.getDouble("worseConfidence", 0.0), json.getDouble("healthyConfidence", 0.0));
    }

    @Override
    public String toString() {
        return "{window=" + windowMs + "ms v1={" + v1 + "} v2={" + v2 + "}"
                + (test == null ? "" : String.format(java.util.Locale.ROOT, " worse=%.6f healthy=%.6f", worseConfidence,
                        healthyConfidence))
                + "}";
    }
}
