package io.cutover.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The rows of one entity for one scope, ordered by id for keyset paging. Rows are never mutated
 * once stored: an update stores a new object. Not thread-safe; {@link DemoStore} guards it.
 */
final class EntityTable {

    private final EntitySpec spec;
    private final String tenantId;
    private final NavigableMap<String, JsonObject> rows = new TreeMap<>();

    /** @param tenantId added to every row as {@code tenantId}, or {@code null} for none (V1) */
    EntityTable(EntitySpec spec, String tenantId) {
        this.spec = spec;
        this.tenantId = tenantId;
    }

    Optional<JsonObject> find(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    JsonObject get(String id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    JsonArray list(Page page) {
        Map<String, JsonObject> tail = page.after() == null ? rows : rows.tailMap(page.after(), false);
        JsonArray result = new JsonArray();
        for (JsonObject row : tail.values()) {
            if (result.size() == page.limit()) {
                break;
            }
            result.add(row);
        }
        return result;
    }

    JsonObject create(JsonObject body, Instant now) {
        String id = clientId(body);
        if (id == null) {
            id = spec.idPrefix() + UUID.randomUUID();
        } else if (rows.containsKey(id)) {
            throw ApiError.conflict(spec.name() + " " + id + " already exists");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : spec.fields()) {
            values.put(field.name(), field.valueForCreate(body));
        }
        return store(id, values, now, now);
    }

    JsonObject replace(String id, JsonObject body, Instant now) {
        JsonObject current = get(id);
        requireSameId(id, body);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : spec.fields()) {
            values.put(field.name(), field.valueForCreate(body));
        }
        return store(id, values, Instant.parse(current.getString("createdAt")), now);
    }

    JsonObject merge(String id, JsonObject body, Instant now) {
        JsonObject current = get(id);
        requireSameId(id, body);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : spec.fields()) {
            values.put(field.name(), body.containsKey(field.name())
                    ? field.valueForMerge(body)
                    : current.getValue(field.name()));
        }
        return store(id, values, Instant.parse(current.getString("createdAt")), now);
    }

    void delete(String id) {
        if (rows.remove(id) == null) {
            throw notFound(id);
        }
    }

    private JsonObject store(String id, Map<String, Object> values, Instant createdAt, Instant updatedAt) {
        JsonObject row = new JsonObject().put("id", id);
        values.forEach(row::put);
        if (tenantId != null) {
            row.put("tenantId", tenantId);
        }
        row.put("createdAt", createdAt.toString());
        if (spec.tracksUpdates()) {
            row.put("updatedAt", updatedAt.toString());
        }
        rows.put(id, row);
        return row;
    }

    private static String clientId(JsonObject body) {
        Object id = body.getValue("id");
        if (id == null) {
            return null;
        }
        if (!(id instanceof String s) || s.isBlank()) {
            throw ApiError.badRequest("field id must be a non-blank string");
        }
        return s;
    }

    private static void requireSameId(String id, JsonObject body) {
        Object bodyId = body.getValue("id");
        if (bodyId != null && !id.equals(bodyId)) {
            throw ApiError.badRequest("body id " + bodyId + " does not match path id " + id);
        }
    }

    private ApiError notFound(String id) {
        return ApiError.notFound(spec.name() + " " + id + " not found");
    }
}
