package io.cutover.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The API of one id-keyed entity (devices, users, alerts) over its table, in plain SQL:
 * keyset-paged list, get, create with a client-supplied or generated id, replace, merge, delete.
 * A body may carry {@code createdAt} and {@code updatedAt} (an import: the router carries the
 * primary's times to the secondary); without them the backend stamps its own clock.
 * On V2 every operation is confined to the request's tenant: another tenant's row is a 404.
 * Answers show what was written (a create or an update is not read back), and what was read.
 */
final class Table {

    /** A creation time the body may carry (an import: the router's dual write, a migration): {@value}. */
    static final String CREATED_AT = "createdAt";
    /** An update time the body may carry, on a create or an update: {@value}. */
    static final String UPDATED_AT = "updatedAt";

    /** One row as the API shows it: its field values by JSON name, in {@link EntitySpec#fields()} order. */
    record Resource(String id, String tenant, Instant createdAt, Instant updatedAt, Map<String, Object> values) {
    }

    /** A field that names a row of another table, which must exist (in the tenant). */
    record Reference(String field, Table table) {
    }

    /**
     * How a schema stores the fields: what a read selects from ({@code e} the table itself) with each
     * field's expression in it (by default its column, {@link Field#column()}), and the columns a write
     * sets for the fields' values.
     */
    record Storage(String from, Map<String, String> expressions, Columns columns) {

        /** Every field in its own column. */
        static Storage plain(String table, EntitySpec spec) {
            return new Storage(table + " e", Map.of(), (connection, tenant, values) -> {
                Map<String, Object> columns = new LinkedHashMap<>();
                for (Field field : spec.fields()) {
                    columns.put(field.column(), values.get(field.name()));
                }
                return Future.succeededFuture(columns);
            });
        }
    }

    /** The columns that store a row's field values (a column's name, its value). */
    @FunctionalInterface
    interface Columns {
        /**
         * May rewrite {@code values} in place into what the stored row reads back as (V2 stores a
         * device's absent config as {@code {}}).
         */
        Future<Map<String, Object>> of(SqlConnection connection, String tenant, Map<String, Object> values);
    }

    private final EntitySpec spec;
    private final String table;
    private final boolean byTenant;
    private final Reference reference;
    private final Storage storage;
    private final String select;

    /**
     * @param byTenant  whether rows carry a {@code tenant_id} (V2)
     * @param reference the field naming another table's row, or {@code null}
     */
    Table(EntitySpec spec, String table, boolean byTenant, Reference reference, Storage storage) {
        this.spec = spec;
        this.table = table;
        this.byTenant = byTenant;
        this.reference = reference;
        this.storage = storage;
        StringJoiner columns = new StringJoiner(", ", "SELECT ", " FROM " + storage.from());
        columns.add("e.id");
        if (byTenant) {
            columns.add("e.tenant_id");
        }
        for (Field field : spec.fields()) {
            columns.add(storage.expressions().getOrDefault(field.name(), "e." + field.column()) + " AS " + field.column());
        }
        columns.add("e.created_at");
        if (spec.tracksUpdates()) {
            columns.add("e.updated_at");
        }
        this.select = columns.toString();
    }

    Table(EntitySpec spec, String table, boolean byTenant, Reference reference) {
        this(spec, table, byTenant, reference, Storage.plain(table, spec));
    }

    EntitySpec spec() {
        return spec;
    }

    Future<JsonArray> list(SqlConnection connection, String tenant, Page page) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder(select);
        String where = " WHERE ";
        if (byTenant) {
            args.add(tenant);
            sql.append(where).append("e.tenant_id = $").append(args.size());
            where = " AND ";
        }
        if (page.after() != null) {
            args.add(page.after());
            sql.append(where).append("e.id > $").append(args.size());
        }
        args.add(page.limit());
        sql.append(" ORDER BY e.id LIMIT $").append(args.size());
        return connection.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            JsonArray result = new JsonArray();
            rows.forEach(row -> result.add(json(resource(row))));
            return result;
        });
    }

    /** The row as the API shows it, or a 404. */
    Future<JsonObject> read(SqlConnection connection, String tenant, String id) {
        return get(connection, tenant, id).map(this::json);
    }

    /** The row, or a 404 when it is absent or belongs to another tenant. */
    Future<Resource> get(SqlConnection connection, String tenant, String id) {
        return find(connection, tenant, id).map(row -> {
            if (row == null) {
                throw notFound(id);
            }
            return row;
        });
    }

    /** The row, or {@code null} when it is absent or belongs to another tenant. */
    Future<Resource> find(SqlConnection connection, String tenant, String id) {
        return byId(connection, id).map(row -> row != null && Objects.equals(row.tenant(), tenant) ? row : null);
    }

    Future<JsonObject> create(SqlConnection connection, String tenant, JsonObject body, Instant now) {
        String clientId = clientId(body);
        Map<String, Object> values = valuesForCreate(body);
        String id = clientId != null ? clientId : spec.idPrefix() + UUID.randomUUID();
        Future<Resource> existing = clientId == null ? Future.succeededFuture() : byId(connection, id);
        return existing.compose(found -> {
            if (found != null) {
                // another tenant's row counts too: ids are global keys in both schemas
                throw ApiError.conflict(spec.name() + " " + id + " already exists");
            }
            Instant created = importedTime(body, CREATED_AT, now);
            Instant updated = importedTime(body, UPDATED_AT, created);
            return columns(connection, tenant, values).compose(columns -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", id);
                if (byTenant) {
                    row.put("tenant_id", tenant);
                }
                row.putAll(columns);
                row.put("created_at", Sql.at(created));
                if (spec.tracksUpdates()) {
                    row.put("updated_at", Sql.at(updated));
                }
                StringJoiner params = new StringJoiner(", ", " VALUES (", ")");
                for (int i = 1; i <= row.size(); i++) {
                    params.add("$" + i);
                }
                return connection.preparedQuery("INSERT INTO " + table + " (" + String.join(", ", row.keySet()) + ")" + params)
                        .execute(Tuple.from(new ArrayList<>(row.values())));
            }).map(done -> json(new Resource(id, byTenant ? tenant : null, created, updated, values)));
        });
    }

    Future<JsonObject> replace(SqlConnection connection, String tenant, String id, JsonObject body, Instant now) {
        return get(connection, tenant, id).compose(row -> {
            requireSameId(id, body);
            return update(connection, row, valuesForCreate(body), importedTime(body, UPDATED_AT, now));
        });
    }

    Future<JsonObject> merge(SqlConnection connection, String tenant, String id, JsonObject body, Instant now) {
        return get(connection, tenant, id).compose(row -> {
            requireSameId(id, body);
            Map<String, Object> values = new LinkedHashMap<>();
            for (Field field : spec.fields()) {
                values.put(field.name(), body.containsKey(field.name()) ? field.valueForMerge(body) : row.values().get(field.name()));
            }
            return update(connection, row, values, importedTime(body, UPDATED_AT, now));
        });
    }

    Future<Void> delete(SqlConnection connection, String tenant, String id) {
        return get(connection, tenant, id)
                .compose(row -> connection.preparedQuery("DELETE FROM " + table + " WHERE id = $1").execute(Tuple.of(id)))
                .map(rows -> {
                    requireOneRow(rows, id);
                    return null;
                });
    }

    ApiError notFound(String id) {
        return ApiError.notFound(spec.name() + " " + id + " not found");
    }

    private Future<Resource> byId(SqlConnection connection, String id) {
        return connection.preparedQuery(select + " WHERE e.id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : resource(rows.iterator().next()));
    }

    /** Writes the values over the row (references are checked first), and the update time where the entity has one. */
    private Future<JsonObject> update(SqlConnection connection, Resource row, Map<String, Object> values, Instant updated) {
        return columns(connection, row.tenant(), values).compose(columns -> {
            List<Object> args = new ArrayList<>();
            StringJoiner set = new StringJoiner(", ", "UPDATE " + table + " SET ", "");
            columns.forEach((name, value) -> {
                args.add(value);
                set.add(name + " = $" + args.size());
            });
            if (spec.tracksUpdates()) {
                args.add(Sql.at(updated));
                set.add("updated_at = $" + args.size());
            }
            args.add(row.id());
            return connection.preparedQuery(set + " WHERE id = $" + args.size()).execute(Tuple.from(args));
        }).map(rows -> {
            requireOneRow(rows, row.id());
            return json(new Resource(row.id(), row.tenant(), row.createdAt(), updated, values));
        });
    }

    /** Checks the reference, then the columns that store the values. */
    private Future<Map<String, Object>> columns(SqlConnection connection, String tenant, Map<String, Object> values) {
        Future<Void> checked = reference == null
                ? Future.succeededFuture()
                : ReferenceStore.requireReference(connection, reference.table(), tenant, (String) values.get(reference.field()), reference.field());
        return checked.compose(v -> storage.columns().of(connection, tenant, values));
    }

    /** A row gone between its read and its write (a concurrent delete) fails the request, as with an ORM. */
    private void requireOneRow(RowSet<Row> rows, String id) {
        if (rows.rowCount() != 1) {
            throw new IllegalStateException(spec.name() + " " + id + ": " + rows.rowCount() + " rows written, expected 1");
        }
    }

    private Resource resource(Row row) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : spec.fields()) {
            values.put(field.name(), row.getValue(field.column()));
        }
        return new Resource(row.getString("id"), byTenant ? row.getString("tenant_id") : null,
                Sql.instant(row, "created_at"), spec.tracksUpdates() ? Sql.instant(row, "updated_at") : null, values);
    }

    /** {@code id}, the fields, {@code tenantId} (V2), {@code createdAt} and, where the entity has one, {@code updatedAt}. */
    private JsonObject json(Resource row) {
        JsonObject json = new JsonObject().put("id", row.id());
        row.values().forEach(json::put);
        if (byTenant) {
            json.put("tenantId", row.tenant());
        }
        json.put("createdAt", ReferenceStore.text(row.createdAt()));
        if (spec.tracksUpdates()) {
            json.put("updatedAt", ReferenceStore.text(row.updatedAt()));
        }
        return json;
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
