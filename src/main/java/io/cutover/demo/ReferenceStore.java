package io.cutover.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;

/**
 * One flavour's storage of the reference API over its schema ({@code reference/v1.sql} or
 * {@code v2.sql}) in plain SQL. Every method runs on the connection (and, for writes, in the
 * transaction) that {@link DemoRoutes} opened; {@code tenant} is {@code null} on V1.
 */
abstract class ReferenceStore {

    abstract Table devices();

    abstract Table users();

    abstract Table alerts();

    abstract Readings readings();

    /** Runs first in every write transaction (V2: creates the tenant row if absent). */
    Future<Void> beforeWrite(SqlConnection connection, String tenant) {
        return Future.succeededFuture();
    }

    /** The device's readings in the window, in time order; 404 unless the device exists (in the tenant). */
    final Future<JsonArray> telemetry(SqlConnection connection, String tenant, String deviceId, TimeWindow window) {
        return requireDevice(connection, tenant, deviceId).compose(v -> readings().window(connection, tenant, deviceId, window));
    }

    final Future<JsonObject> append(SqlConnection connection, String tenant, String deviceId, ReadingInput input) {
        return requireDevice(connection, tenant, deviceId).compose(v -> readings().append(connection, tenant, deviceId, input));
    }

    /** Deletes a device and its readings; 404 if absent. */
    final Future<Void> deleteDevice(SqlConnection connection, String tenant, String id) {
        return requireDevice(connection, tenant, id)
                .compose(v -> readings().deleteOf(connection, tenant, id))
                .compose(v -> devices().delete(connection, tenant, id));
    }

    /** 404 unless the device exists (in the tenant). */
    private Future<Void> requireDevice(SqlConnection connection, String tenant, String id) {
        return devices().get(connection, tenant, id).mapEmpty();
    }

    /** A 400 naming {@code field} unless the row it refers to exists (in the tenant). */
    static Future<Void> requireReference(SqlConnection connection, Table table, String tenant, String id, String field) {
        if (id == null) {
            return Future.succeededFuture();
        }
        return table.find(connection, tenant, id).map(row -> {
            if (row == null) {
                throw ApiError.badField(field, "field " + field + ": no " + table.spec().name() + " " + id);
            }
            return null;
        });
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
