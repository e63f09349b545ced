package io.cutover.rollback;

import io.vertx.core.json.JsonObject;

/** Both backends' figures over the same window: what the guard judged, and what tripped a latch. */
public record GuardFigures(long windowMs, WindowFigures v1, WindowFigures v2) {

    JsonObject toJson() {
        return new JsonObject().put("windowMs", windowMs).put("v1", v1.toJson()).put("v2", v2.toJson());
    }

    static GuardFigures fromJson(JsonObject json) {
        if (json == null) {
            return null;
        }
        return new GuardFigures(json.getLong("windowMs", 0L),
                WindowFigures.fromJson(json.getJsonObject("v1")), WindowFigures.fromJson(json.getJsonObject("v2")));
    }

    @Override
    public String toString() {
        return "{window=" + windowMs + "ms v1={" + v1 + "} v2={" + v2 + "}}";
    }
}
