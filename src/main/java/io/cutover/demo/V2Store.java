package io.cutover.demo;

import io.cutover.demo.v2.Alert;
import io.cutover.demo.v2.Device;
import io.cutover.demo.v2.DeviceTemplate;
import io.cutover.demo.v2.Reading;
import io.cutover.demo.v2.User;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * V2 over {@code reference/v2.sql}: every row carries the request's tenant. Rows are written the
 * way the default mapping ({@code migration/default-mapping.yaml}) writes backfilled ones, so that
 * {@code verify} sees a dual-written row and a backfilled one alike: the tenant row and the
 * tenant's template per device type are created if absent (template id {@code <tenant>:<type>}),
 * {@code attributes} is the V1 {@code config} ({@code {}} for none), {@code metadata} is
 * {@code {"migratedFrom": "v1", "originalType": <type>}}, a reading without {@code source} gets
 * {@code "migrated"} and every reading {@code quality = 'GOOD'}.
 */
final class V2Store extends ReferenceStore {

    /** The tenant of the default mapping, created with the mapping's name, slug and plan: {@value}. */
    static final String DEFAULT_TENANT = "default_tenant_id";
    /** Telemetry ids V2 generates itself start here, far from V1's BIGSERIAL: {@value}. */
    static final long FIRST_GENERATED_READING_ID = 1_000_000_000_000L;

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
        boolean isDefault = DEFAULT_TENANT.equals(tenant);
        return session.createNativeQuery(
                        "INSERT INTO tenants (id, name, slug, plan, status) VALUES (?1, ?2, ?3, ?4, 'ACTIVE') ON CONFLICT DO NOTHING")
                .setParameter(1, tenant)
                .setParameter(2, isDefault ? "Default Tenant" : tenant)
                .setParameter(3, isDefault ? "default" : tenant)
                .setParameter(4, isDefault ? "ENTERPRISE" : "STANDARD")
                .executeUpdate()
                .replaceWithVoid();
    }

    @Override
    Uni<JsonArray> telemetry(Mutiny.Session session, String tenant, String deviceId, TimeWindow window) {
        return requireDevice(session, tenant, deviceId)
                .chain(() -> Readings.window(session, "V2Reading", Reading.class, tenant, deviceId, window))
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
                        : session.createNativeQuery("SELECT nextval('cutover_ref_telemetry_id_seq')", Long.class).getSingleResult())
                .chain(id -> {
                    Reading r = new Reading();
                    r.id = id;
                    r.tenantId = tenant;
                    r.deviceId = deviceId;
                    r.timestamp = input.timestamp();
                    r.metrics = input.data();
                    r.protocol = input.protocol();
                    r.source = input.source() == null ? "migrated" : input.source();
                    r.quality = "GOOD";
                    return session.persist(r).chain(session::flush).map(v -> json(r));
                });
    }

    @Override
    Uni<Void> deleteDevice(Mutiny.Session session, String tenant, String id) {
        return requireDevice(session, tenant, id)
                .chain(() -> session.createMutationQuery("delete from V2Reading r where r.deviceId = :id and r.tenantId = :tenant")
                        .setParameter("id", id).setParameter("tenant", tenant).executeUpdate())
                .chain(() -> devices.delete(session, tenant, id));
    }

    /** The tenant's template for a device type, created if absent as the default mapping creates it. */
    private static Uni<DeviceTemplate> template(Mutiny.Session session, String tenant, String type) {
        return session.createNativeQuery(
                        "INSERT INTO device_templates (id, tenant_id, name, device_type) VALUES (?1, ?2, ?3, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, tenant + ":" + type)
                .setParameter(2, tenant)
                .setParameter(3, type)
                .executeUpdate()
                .chain(() -> session.createSelectionQuery(
                                "from V2DeviceTemplate t where t.tenantId = :tenant and t.deviceType = :type", DeviceTemplate.class)
                        .setParameter("tenant", tenant)
                        .setParameter("type", type)
                        .getSingleResult());
    }

    private static JsonObject json(Reading r) {
        return new JsonObject()
                .put("id", r.id)
                .put("deviceId", r.deviceId)
                .put("timestamp", text(r.timestamp))
                .put("data", r.metrics)
                .put("protocol", r.protocol)
                .put("source", r.source)
                .put("tenantId", r.tenantId);
    }

    private final class Devices implements Table.Mapping<Device> {

        @Override
        public Class<Device> type() {
            return Device.class;
        }

        @Override
        public String listQuery(boolean tenant, boolean after) {
            return "from V2Device e join fetch e.template where e.tenantId = :tenant" + (after ? " and e.id > :after" : "") + " order by e.id";
        }

        @Override
        public Device newRow(String id, String tenant, Instant now) {
            Device d = new Device();
            d.id = id;
            d.tenantId = tenant;
            d.createdAt = now;
            return d;
        }

        @Override
        public String tenantOf(Device row) {
            return row.tenantId;
        }

        @Override
        public Map<String, Object> values(Device d) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", d.name);
            v.put("type", d.template.deviceType);
            v.put("status", d.status);
            v.put("config", d.attributes);
            v.put("ownerId", d.ownerId);
            return v;
        }

        @Override
        public Uni<Void> apply(Mutiny.Session session, Device d, Map<String, Object> v, Instant now) {
            String ownerId = (String) v.get("ownerId");
            String type = (String) v.get("type");
            JsonObject config = (JsonObject) v.get("config");
            return requireReference(session, users, d.tenantId, ownerId, "ownerId")
                    .chain(() -> template(session, d.tenantId, type))
                    .invoke(template -> {
                        d.template = template;
                        d.name = (String) v.get("name");
                        d.status = (String) v.get("status");
                        d.attributes = config == null ? new JsonObject() : config;
                        d.metadata = new JsonObject().put("migratedFrom", "v1").put("originalType", type);
                        d.ownerId = ownerId;
                        d.updatedAt = now;
                    })
                    .replaceWithVoid();
        }

        @Override
        public JsonObject json(Device d) {
            return new JsonObject()
                    .put("id", d.id)
                    .put("name", d.name)
                    .put("type", d.template.deviceType)
                    .put("status", d.status)
                    .put("config", d.attributes)
                    .put("ownerId", d.ownerId)
                    .put("tenantId", d.tenantId)
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
            return "from V2User e where e.tenantId = :tenant" + (after ? " and e.id > :after" : "") + " order by e.id";
        }

        @Override
        public User newRow(String id, String tenant, Instant now) {
            User u = new User();
            u.id = id;
            u.tenantId = tenant;
            u.createdAt = now;
            return u;
        }

        @Override
        public String tenantOf(User row) {
            return row.tenantId;
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
                    .put("tenantId", u.tenantId)
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
            return "from V2Alert e where e.tenantId = :tenant" + (after ? " and e.id > :after" : "") + " order by e.id";
        }

        @Override
        public Alert newRow(String id, String tenant, Instant now) {
            Alert a = new Alert();
            a.id = id;
            a.tenantId = tenant;
            a.createdAt = now;
            return a;
        }

        @Override
        public String tenantOf(Alert row) {
            return row.tenantId;
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
            return requireReference(session, devices, a.tenantId, deviceId, "deviceId").invoke(() -> {
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
                    .put("tenantId", a.tenantId)
                    .put("createdAt", text(a.createdAt));
        }
    }
}
