package io.cutover.demo;

import io.cutover.demo.v1.Alert;
import io.cutover.demo.v1.Device;
import io.cutover.demo.v1.Reading;
import io.cutover.demo.v1.User;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hibernate.reactive.mutiny.Mutiny;

/** V1 over {@code reference/v1.sql}: single tenant, telemetry ids from {@code device_data}'s BIGSERIAL. */
final class V1Store extends ReferenceStore {

    private final Table<User> users = new Table<>(EntitySpec.USER,
            new UserMapping<>(User.class, "V1User", User::new, Scope.none()));
    private final Table<Device> devices = new Table<>(EntitySpec.DEVICE, new Devices(users));
    private final Table<Alert> alerts = new Table<>(EntitySpec.ALERT,
            new AlertMapping<>(Alert.class, "V1Alert", Alert::new, Scope.none(), devices));

    @Override
    Table<Device> devices() {
        return devices;
    }

    @Override
    Table<User> users() {
        return users;
    }

    @Override
    Table<Alert> alerts() {
        return alerts;
    }

    @Override
    Uni<Void> beforeWrite(Mutiny.Session session, String tenant) {
        return Uni.createFrom().voidItem();
    }

    @Override
    Uni<JsonArray> telemetry(Mutiny.Session session, String tenant, String deviceId, TimeWindow window) {
        return requireDevice(session, tenant, deviceId)
                .chain(() -> Readings.window(session, "V1Reading", Reading.class, null, deviceId, window))
                .map(rows -> {
                    JsonArray result = new JsonArray();
                    rows.forEach(r -> result.add(json(r)));
                    return result;
                });
    }

    @Override
    Uni<JsonObject> append(Mutiny.Session session, String tenant, String deviceId, ReadingInput input) {
        return requireDevice(session, tenant, deviceId)
                .chain(() -> input.id() != null
                        ? Readings.requireFree(session, Reading.class, input.id())
                        : session.createNativeQuery("SELECT nextval('device_data_id_seq')", Long.class).getSingleResult())
                .chain(id -> {
                    Reading r = new Reading();
                    r.id = id;
                    r.deviceId = deviceId;
                    r.timestamp = input.timestamp();
                    r.data = input.data();
                    r.protocol = input.protocol();
                    r.source = input.source();
                    return session.persist(r).chain(session::flush).map(v -> json(r));
                });
    }

    @Override
    Uni<Void> deleteDevice(Mutiny.Session session, String tenant, String id) {
        return requireDevice(session, tenant, id)
                .chain(() -> session.createMutationQuery("delete from V1Reading r where r.deviceId = :id")
                        .setParameter("id", id).executeUpdate())
                .chain(() -> devices.delete(session, tenant, id));
    }

    private static JsonObject json(Reading r) {
        return new JsonObject()
                .put("id", r.id)
                .put("deviceId", r.deviceId)
                .put("timestamp", text(r.timestamp))
                .put("data", r.data)
                .put("protocol", r.protocol)
                .put("source", r.source);
    }

    /** V1 keeps the type and the config in the device's own columns. */
    private static final class Devices extends DeviceMapping<Device> {

        Devices(Table<User> users) {
            super(Device.class, "from V1Device e", Device::new, Scope.none(), users);
        }

        @Override
        String typeOf(Device d) {
            return d.type;
        }

        @Override
        JsonObject configOf(Device d) {
            return d.config;
        }

        @Override
        Uni<Void> storeTypeAndConfig(Mutiny.Session session, Device d, String type, JsonObject config) {
            d.type = type;
            d.config = config;
            return Uni.createFrom().voidItem();
        }
    }
}
