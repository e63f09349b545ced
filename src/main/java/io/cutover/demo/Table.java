package io.cutover.demo;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The API of one id-keyed entity (devices, users, alerts) over its Hibernate Reactive entity:
 * keyset-paged list, get, create with a client-supplied or generated id, replace, merge, delete.
 * A body may carry {@code createdAt} and {@code updatedAt} (an import: the router carries the
 * primary's times to the secondary); without them the backend stamps its own clock.
 * On V2 every operation is confined to the request's tenant: another tenant's row is a 404.
 */
final class Table<E> {

    /** How one flavour stores one entity: the parts that differ between V1 and V2. */
    interface Mapping<E> {

        Class<E> type();

        /** HQL of the rows in id order, with {@code :tenant} on V2 and {@code :after} when paging on. */
        String listQuery(boolean tenant, boolean after);

        /** A new, empty row with its id, tenant (V2) and creation time. */
        E newRow(String id, String tenant, Instant now);

        /** The tenant of a row, {@code null} on V1. */
        String tenantOf(E row);

        /** The client-writable values of a row by JSON name, as {@link EntitySpec#fields()} lists them. */
        Map<String, Object> values(E row);

        /** Writes validated values into a row (references are checked here), and the update time. */
        Uni<Void> apply(Mutiny.Session session, E row, Map<String, Object> values, Instant now);

        JsonObject json(E row);
    }

    /** A creation time the body may carry (an import: the router's dual write, a migration): {@value}. */
    static final String CREATED_AT = "createdAt";
    /** An update time the body may carry, on a create or an update: {@value}. */
    static final String UPDATED_AT = "updatedAt";

    private final EntitySpec spec;
    private final Mapping<E> mapping;

    Table(EntitySpec spec, Mapping<E> mapping) {
        this.spec = spec;
        this.mapping = mapping;
    }

    EntitySpec spec() {
        return spec;
    }

    Uni<JsonArray> list(Mutiny.Session session, String tenant, Page page) {
        Mutiny.SelectionQuery<E> query = session.createSelectionQuery(
                mapping.listQuery(tenant != null, page.after() != null), mapping.type());
        if (tenant != null) {
            query.setParameter("tenant", tenant);
        }
        if (page.after() != null) {
            query.setParameter("after", page.after());
        }
        return query.setMaxResults(page.limit()).getResultList().map(rows -> {
            JsonArray result = new JsonArray();
            rows.forEach(row -> result.add(mapping.json(row)));
            return result;
        });
    }

    /** The row as the API shows it, or a 404. */
    Uni<JsonObject> read(Mutiny.Session session, String tenant, String id) {
        return get(session, tenant, id).map(mapping::json);
    }

    /** The row, or a 404 when it is absent or belongs to another tenant. */
    Uni<E> get(Mutiny.Session session, String tenant, String id) {
        return find(session, tenant, id).map(row -> {
            if (row == null) {
                throw notFound(id);
            }
            return row;
        });
    }

    /** The row, or {@code null} when it is absent or belongs to another tenant. */
    Uni<E> find(Mutiny.Session session, String tenant, String id) {
        return session.find(mapping.type(), id)
                .map(row -> row != null && Objects.equals(mapping.tenantOf(row), tenant) ? row : null);
    }

    Uni<JsonObject> create(Mutiny.Session session, String tenant, JsonObject body, Instant now) {
        String clientId = clientId(body);
        Map<String, Object> values = valuesForCreate(body);
        String id = clientId != null ? clientId : spec.idPrefix() + UUID.randomUUID();
        Uni<E> existing = clientId == null ? Uni.createFrom().nullItem() : session.find(mapping.type(), id);
        return existing.chain(found -> {
            if (found != null) {
                // another tenant's row counts too: ids are global keys in both schemas
                throw ApiError.conflict(spec.name() + " " + id + " already exists");
            }
            Instant created = importedTime(body, CREATED_AT, now);
            E row = mapping.newRow(id, tenant, created);
            return mapping.apply(session, row, values, importedTime(body, UPDATED_AT, created))
                    .chain(() -> session.persist(row))
                    .chain(session::flush)
                    .map(v -> mapping.json(row));
        });
    }

    Uni<JsonObject> replace(Mutiny.Session session, String tenant, String id, JsonObject body, Instant now) {
        return get(session, tenant, id).chain(row -> {
            requireSameId(id, body);
            return update(session, row, valuesForCreate(body), importedTime(body, UPDATED_AT, now));
        });
    }

    Uni<JsonObject> merge(Mutiny.Session session, String tenant, String id, JsonObject body, Instant now) {
        return get(session, tenant, id).chain(row -> {
            requireSameId(id, body);
            Map<String, Object> current = mapping.values(row);
            Map<String, Object> values = new LinkedHashMap<>();
            for (Field field : spec.fields()) {
                values.put(field.name(), body.containsKey(field.name()) ? field.valueForMerge(body) : current.get(field.name()));
            }
            return update(session, row, values, importedTime(body, UPDATED_AT, now));
        });
    }

    Uni<Void> delete(Mutiny.Session session, String tenant, String id) {
        return get(session, tenant, id).chain(session::remove).chain(session::flush);
    }

    ApiError notFound(String id) {
        return ApiError.notFound(spec.name() + " " + id + " not found");
    }

    private Uni<JsonObject> update(Mutiny.Session session, E row, Map<String, Object> values, Instant now) {
        return mapping.apply(session, row, values, now).chain(session::flush).map(v -> mapping.json(row));
    }

    private Map<String, Object> valuesForCreate(JsonObject body) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : spec.fields()) {
            values.put(field.name(), field.valueForCreate(body));
        }
        return values;
    }

    /**
     * The time the body gives for {@code field} (ISO-8601, as the API shows times), else {@code otherwise}:
     * a backend being migrated to takes the times its source stamped instead of its own.
     */
    static Instant importedTime(JsonObject body, String field, Instant otherwise) {
        Object v = body.getValue(field);
        if (v == null) {
            return otherwise;
        }
        try {
            return Instant.parse((String) v);
        } catch (ClassCastException | java.time.format.DateTimeParseException e) {
            throw ApiError.badField(field, "field " + field + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, not " + v);
        }
    }

    private static String clientId(JsonObject body) {
        Object id = body.getValue("id");
        if (id == null) {
            return null;
        }
        if (!(id instanceof String s) || s.isBlank()) {
            throw ApiError.badField("id", "field id must be a non-blank string");
        }
        return s;
    }

    private static void requireSameId(String id, JsonObject body) {
        Object bodyId = body.getValue("id");
        if (bodyId != null && !id.equals(bodyId)) {
            throw ApiError.badField("id", "body id " + bodyId + " does not match path id " + id);
        }
    }
}
