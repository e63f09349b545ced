package io.cutover.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The telemetry readings of one scope, per device. Not thread-safe; {@link DemoStore} guards it. */
final class TelemetryLog {

    private static final Comparator<Reading> TIME_ORDER =
            Comparator.comparing(Reading::timestamp).thenComparingLong(Reading::id);

    private final String tenantId;
    private final IdSequence ids;
    private final Map<String, List<Reading>> byDevice = new HashMap<>();
    private final Set<Long> usedIds = new HashSet<>();

    TelemetryLog(String tenantId, IdSequence ids) {
        this.tenantId = tenantId;
        this.ids = ids;
    }

    JsonObject append(String deviceId, JsonObject body) {
        long id = readingId(body);
        Instant timestamp = Requests.timestamp("timestamp", body.getValue("timestamp"));
        if (timestamp == null) {
            throw ApiError.badRequest("missing required field: timestamp");
        }
        if (!(body.getValue("data") instanceof JsonObject data)) {
            throw ApiError.badRequest(body.getValue("data") == null
                    ? "missing required field: data" : "field data must be a JSON object");
        }
        JsonObject json = new JsonObject()
                .put("id", id)
                .put("deviceId", deviceId)
                .put("timestamp", timestamp.toString())
                .put("data", data)
                .put("protocol", optionalString(body, "protocol"))
                .put("source", optionalString(body, "source"));
        if (tenantId != null) {
            json.put("tenantId", tenantId);
        }
        usedIds.add(id);
        byDevice.computeIfAbsent(deviceId, d -> new ArrayList<>()).add(new Reading(id, timestamp, json));
        return json;
    }

    JsonArray list(String deviceId, TimeWindow window) {
        JsonArray result = new JsonArray();
        byDevice.getOrDefault(deviceId, List.of()).stream()
                .filter(reading -> window.contains(reading.timestamp()))
                .sorted(TIME_ORDER)
                .limit(window.limit())
                .forEach(reading -> result.add(reading.json()));
        return result;
    }

    void removeDevice(String deviceId) {
        List<Reading> removed = byDevice.remove(deviceId);
        if (removed != null) {
            removed.forEach(reading -> usedIds.remove(reading.id()));
        }
    }

    private long readingId(JsonObject body) {
        Object value = body.getValue("id");
        if (value == null) {
            long id;
            do {
                id = ids.next();
            } while (usedIds.contains(id));
            return id;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() <= 0) {
            throw ApiError.badRequest("field id must be a positive integer");
        }
        long id = ((Number) value).longValue();
        if (usedIds.contains(id)) {
            throw ApiError.conflict("telemetry reading " + id + " already exists");
        }
        ids.advancePast(id);
        return id;
    }

    private static String optionalString(JsonObject body, String name) {
        Object value = body.getValue(name);
        if (value != null && !(value instanceof String)) {
            throw ApiError.badRequest("field " + name + " must be a string");
        }
        return (String) value;
    }

    private record Reading(long id, Instant timestamp, JsonObject json) {
    }
}
