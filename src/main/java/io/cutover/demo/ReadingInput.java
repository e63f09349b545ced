package io.cutover.demo;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A validated telemetry reading of {@code POST /api/devices/{id}/telemetry}:
 * {@code {id?, timestamp, data, protocol?, source?}}.
 *
 * @param id the client's id (the router forwards the primary's), or {@code null}
 */
record ReadingInput(Long id, Instant timestamp, JsonObject data, String protocol, String source) {

    static ReadingInput of(JsonObject body) {
        Instant timestamp = Requests.timestamp("timestamp", body.getValue("timestamp"));
        if (timestamp == null) {
            throw ApiError.badField("timestamp", "missing required field: timestamp");
        }
        Object data = body.getValue("data");
        if (!(data instanceof JsonObject object)) {
            throw ApiError.badField("data", data == null ? "missing required field: data" : "field data must be a JSON object");
        }
        return new ReadingInput(id(body), timestamp, object, optionalString(body, "protocol"), optionalString(body, "source"));
    }

    private static Long id(JsonObject body) {
        Object value = body.getValue("id");
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
            throw ApiError.badField("id", "field id must be a positive integer");
        }
        return ((Number) value).longValue();
    }

    private static String optionalString(JsonObject body, String name) {
        Object value = body.getValue(name);
        if (value != null && !(value instanceof String)) {
            throw ApiError.badField(name, "field " + name + " must be a string");
        }
        return (String) value;
    }
}
