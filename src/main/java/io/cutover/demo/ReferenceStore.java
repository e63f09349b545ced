package io.cutover.demo;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * One flavour's storage of the reference API over its schema ({@code reference/v1.sql} or
 * {@code v2.sql}) through Hibernate Reactive. Every method runs inside the session (and, for
 * writes, the transaction) that {@link DemoRoutes} opened; {@code tenant} is {@code null} on V1.
 */
abstract class ReferenceStore {

    abstract Table<?> devices();

    abstract Table<?> users();

    abstract Table<?> alerts();

    /** Runs first in every write transaction (V2: creates the tenant row if absent). */
    abstract Uni<Void> beforeWrite(Mutiny.Session session, String tenant);

    /** The device's readings in the window, in time order. */
    abstract Uni<JsonArray> telemetry(Mutiny.Session session, String tenant, String deviceId, TimeWindow window);

    abstract Uni<JsonObject> append(Mutiny.Session session, String tenant, String deviceId, ReadingInput reading);

    /** Deletes a device and its readings; 404 if absent. */
    abstract Uni<Void> deleteDevice(Mutiny.Session session, String tenant, String id);

    /** 404 unless the device exists (in the tenant). */
    final Uni<Void> requireDevice(Mutiny.Session session, String tenant, String id) {
        return devices().get(session, tenant, id).replaceWithVoid();
    }

    /** A 400 naming {@code field} unless the row it refers to exists (in the tenant). */
    static <E> Uni<Void> requireReference(Mutiny.Session session, Table<E> table, String tenant, String id, String field) {
        if (id == null) {
            return Uni.createFrom().voidItem();
        }
        return table.find(session, tenant, id).map(row -> {
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
