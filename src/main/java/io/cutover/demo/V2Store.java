package io.cutover.demo;

import io.cutover.demo.v2.Alert;
import io.cutover.demo.v2.Device;
import io.cutover.demo.v2.DeviceTemplate;
import io.cutover.demo.v2.Reading;
import io.cutover.demo.v2.User;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

    private final Table<User> users = new Table<>(EntitySpec.USER,
            new UserMapping<>(User.class, "V2User", User::new, Scope.byTenant(u -> u.tenantId, (u, t) -> u.tenantId = t)));
    private final Table<Device> devices = new Table<>(EntitySpec.DEVICE, new Devices(users));
    private final Table<Alert> alerts = new Table<>(EntitySpec.ALERT,
            new AlertMapping<>(Alert.class, "V2Alert", Alert::new, Scope.byTenant(a -> a.tenantId, (a, t) -> a.tenantId = t), devices));

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

    /** V2 keeps the type as the tenant's template and the V1 config as {@code attributes}, beside the mapping's metadata. */
    private static final class Devices extends DeviceMapping<Device> {

        Devices(Table<User> users) {
            super(Device.class, "from V2Device e join fetch e.template", Device::new, Scope.byTenant(d -> d.tenantId, (d, t) -> d.tenantId = t), users);
        }

        @Override
        String typeOf(Device d) {
            return d.template.deviceType;
        }

        @Override
        JsonObject configOf(Device d) {
            return d.attributes;
        }

        @Override
        Uni<Void> storeTypeAndConfig(Mutiny.Session session, Device d, String type, JsonObject config) {
            return template(session, d.tenantId, type).invoke(template -> {
                d.template = template;
                d.attributes = config == null ? new JsonObject() : config;
                d.metadata = new JsonObject().put("migratedFrom", "v1").put("originalType", type);
            }).replaceWithVoid();
        }
    }
}
