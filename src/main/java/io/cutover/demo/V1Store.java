package io.cutover.demo;

import io.cutover.demo.v1.Alert;
import io.cutover.demo.v1.Device;
import io.cutover.demo.v1.Reading;
import io.cutover.demo.v1.User;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/** V1 over {@code reference/v1.sql}: single tenant, telemetry ids from {@code device_data}'s BIGSERIAL. */
final class V1Store extends ReferenceStore {

    private final Table<User> users = new Table<>(EntitySpec.USER, new Users());
    private final Table<Device> devices = new Table<>(EntitySpec.DEVICE, new Devices());
    private final Table<Alert> alerts = new Table<>(EntitySpec.ALERT, new Alerts());

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

    private final class Devices implements Table.Mapping<Device> {

        @Override
        public Class<Device> type() {
            return Device.class;
        }

        @Override
        public String listQuery(boolean tenant, boolean after) {
            return "from V1Device e" + (after ? " where e.id > :after" : "") + " order by e.id";
        }

        @Override
        public Device newRow(String id, String tenant, Instant now) {
            Device d = new Device();
            d.id = id;
            d.createdAt = now;
            return d;
        }

        @Override
        public String tenantOf(Device row) {
            return null;
        }

        @Override
        public Map<String, Object> values(Device d) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", d.name);
            v.put("type", d.type);
            v.put("status", d.status);
            v.put("config", d.config);
            v.put("ownerId", d.ownerId);
            return v;
        }

        @Override
        public Uni<Void> apply(Mutiny.Session session, Device d, Map<String, Object> v, Instant now) {
            String ownerId = (String) v.get("ownerId");
            return requireReference(session, users, null, ownerId, "ownerId").invoke(() -> {
                d.name = (String) v.get("name");
                d.type = (String) v.get("type");
                d.status = (String) v.get("status");
                d.config = (JsonObject) v.get("config");
                d.ownerId = ownerId;
                d.updatedAt = now;
            });
        }

        @Override
        public JsonObject json(Device d) {
            return new JsonObject()
                    .put("id", d.id)
                    .put("name", d.name)
                    .put("type", d.type)
                    .put("status", d.status)
                    .put("config", d.config)
                    .put("ownerId", d.ownerId)
                    .put("createdAt", text(d.createdAt))
                    .put("updatedAt", text(d.updatedAt));
        }
    }

    private static final class Users implements Table.Mapping<User> {

        @Override
        public Class<User> type() {
            return User.class;
        }

        @Override
        public String listQuery(boolean tenant, boolean after) {
            return "from V1User e" + (after ? " where e.id > :after" : "") + " order by e.id";
        }

        @Override
        public User newRow(String id, String tenant, Instant now) {
            User u = new User();
            u.id = id;
            u.createdAt = now;
            return u;
        }

        @Override
        public String tenantOf(User row) {
            return null;
        }

        @Override
        public Map<String, Object> values(User u) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("email", u.email);
            v.put("name", u.name);
            v.put("role", u.role);
            return v;
        }

        @Override
        public Uni<Void> apply(Mutiny.Session session, User u, Map<String, Object> v, Instant now) {
            u.email = (String) v.get("email");
            u.name = (String) v.get("name");
            u.role = (String) v.get("role");
            u.updatedAt = now;
            return Uni.createFrom().voidItem();
        }

        @Override
        public JsonObject json(User u) {
            return new JsonObject()
                    .put("id", u.id)
                    .put("email", u.email)
                    .put("name", u.name)
                    .put("role", u.role)
                    .put("createdAt", text(u.createdAt))
                    .put("updatedAt", text(u.updatedAt));
        }
    }

    private final class Alerts implements Table.Mapping<Alert> {

        @Override
        public Class<Alert> type() {
            return Alert.class;
        }

        @Override
        public String listQuery(boolean tenant, boolean after) {
            return "from V1Alert e" + (after ? " where e.id > :after" : "") + " order by e.id";
        }

        @Override
        public Alert newRow(String id, String tenant, Instant now) {
            Alert a = new Alert();
            a.id = id;
            a.createdAt = now;
            return a;
        }

        @Override
        public String tenantOf(Alert row) {
            return null;
        }

        @Override
        public Map<String, Object> values(Alert a) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("deviceId", a.deviceId);
            v.put("severity", a.severity);
            v.put("message", a.message);
            v.put("acknowledged", a.acknowledged);
            return v;
        }

        @Override
        public Uni<Void> apply(Mutiny.Session session, Alert a, Map<String, Object> v, Instant now) {
            String deviceId = (String) v.get("deviceId");
            return requireReference(session, devices, null, deviceId, "deviceId").invoke(() -> {
                a.deviceId = deviceId;
                a.severity = (String) v.get("severity");
                a.message = (String) v.get("message");
                a.acknowledged = (Boolean) v.get("acknowledged");
            });
        }

        @Override
        public JsonObject json(Alert a) {
            return new JsonObject()
                    .put("id", a.id)
                    .put("deviceId", a.deviceId)
                    .put("severity", a.severity)
                    .put("message", a.message)
                    .put("acknowledged", a.acknowledged)
                    .put("createdAt", text(a.createdAt));
        }
    }
}
