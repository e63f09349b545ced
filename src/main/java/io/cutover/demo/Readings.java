package io.cutover.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Telemetry over either schema: V1's {@code device_data}, V2's {@code telemetry} (with the tenant,
 * the data in {@code metrics}, and {@code source} and {@code quality} filled as the default mapping
 * fills them). Ids are the client's (the router forwards the primary's), else the next of a sequence.
 */
final class Readings {

    private final String table;
    private final String dataColumn;
    private final String sequence;
    private final boolean byTenant;

    private Readings(String table, String dataColumn, String sequence, boolean byTenant) {
        this.table = table;
        this.dataColumn = dataColumn;
        this.sequence = sequence;
        this.byTenant = byTenant;
    }

    /** V1: {@code device_data}, ids from its BIGSERIAL. */
    static Readings v1() {
        return new Readings("device_data", "data", "device_data_id_seq", false);
    }

    /** V2: {@code telemetry}, ids from {@code cutover_ref_telemetry_id_seq} (see {@link Schemas}). */
    static Readings v2() {
        return new Readings("telemetry", "metrics", "cutover_ref_telemetry_id_seq", true);
    }

    /** A device's readings in the window ({@code from} inclusive, {@code to} exclusive), in time order. */
    Future<JsonArray> window(SqlConnection connection, String tenant, String deviceId, TimeWindow window) {
        List<Object> args = new ArrayList<>(List.of(deviceId));
        StringBuilder sql = new StringBuilder("SELECT id, device_id, \"timestamp\", ").append(dataColumn).append(" AS data, protocol, source")
                .append(byTenant ? ", tenant_id" : "").append(" FROM ").append(table).append(" WHERE device_id = $1");
        if (byTenant) {
            args.add(tenant);
            sql.append(" AND tenant_id = $").append(args.size());
        }
        if (window.from() != null) {
            args.add(Sql.at(window.from()));
            sql.append(" AND \"timestamp\" >= $").append(args.size());
        }
        if (window.to() != null) {
            args.add(Sql.at(window.to()));
            sql.append(" AND \"timestamp\" < $").append(args.size());
        }
        args.add(window.limit());
        sql.append(" ORDER BY \"timestamp\", id LIMIT $").append(args.size());
        return connection.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            JsonArray result = new JsonArray();
            for (Row r : rows) {
                result.add(json(r.getLong("id"), r.getString("device_id"), ReferenceStore.text(Sql.instant(r, "timestamp")),
                        r.getJsonObject("data"), r.getString("protocol"), r.getString("source"), byTenant ? r.getString("tenant_id") : null));
            }
            return result;
        });
    }

    /** Stores a reading of an existing device: 409 when a reading (of any tenant: ids are global keys) has the client's id. */
    Future<JsonObject> append(SqlConnection connection, String tenant, String deviceId, ReadingInput input) {
        // V2 fills source and quality as the default mapping does
        String source = byTenant && input.source() == null ? "migrated" : input.source();
        return id(connection, input).compose(id -> {
            Tuple args = Tuple.of(id, deviceId, Sql.at(input.timestamp()), input.data(), input.protocol(), source);
            String sql = byTenant
                    ? "INSERT INTO " + table + " (id, device_id, \"timestamp\", " + dataColumn + ", protocol, source, tenant_id, quality)"
                            + " VALUES ($1, $2, $3, $4, $5, $6, $7, 'GOOD')"
                    : "INSERT INTO " + table + " (id, device_id, \"timestamp\", " + dataColumn + ", protocol, source)"
                            + " VALUES ($1, $2, $3, $4, $5, $6)";
            return connection.preparedQuery(sql).execute(byTenant ? args.addString(tenant) : args).map(done -> json(id, deviceId,
                    ReferenceStore.text(input.timestamp()), input.data(), input.protocol(), source, byTenant ? tenant : null));
        });
    }

    /** Deletes a device's readings (in the tenant). */
    Future<Void> deleteOf(SqlConnection connection, String tenant, String deviceId) {
        return (byTenant
                ? connection.preparedQuery("DELETE FROM " + table + " WHERE device_id = $1 AND tenant_id = $2").execute(Tuple.of(deviceId, tenant))
                : connection.preparedQuery("DELETE FROM " + table + " WHERE device_id = $1").execute(Tuple.of(deviceId)))
                .mapEmpty();
    }

    /** The client's id, or a 409 when a reading has it; else the sequence's next. */
    private Future<Long> id(SqlConnection connection, ReadingInput input) {
        if (input.id() == null) {
            return connection.query("SELECT nextval('" + sequence + "')").execute().map(rows -> rows.iterator().next().getLong(0));
        }
        long id = input.id();
        return connection.preparedQuery("SELECT 1 FROM " + table + " WHERE id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() > 0) {
                throw ApiError.conflict("telemetry reading " + id + " already exists");
            }
            return id;
        });
    }

    /** {@code id, deviceId, timestamp, data, protocol, source}, then {@code tenantId} on V2. */
    private JsonObject json(long id, String deviceId, String timestamp, JsonObject data, String protocol, String source, String tenant) {
        JsonObject json = new JsonObject()
                .put("id", id)
                .put("deviceId", deviceId)
                .put("timestamp", timestamp)
                .put("data", data)
                .put("protocol", protocol)
                .put("source", source);
        return byTenant ? json.put("tenantId", tenant) : json;
    }
}
