package io.cutover.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** V2 keeps a device's type as the tenant's template and the V1 config as {@code attributes}, beside the mapping's metadata. */
    private static final Table.Storage DEVICES = new Table.Storage(
            "devices e JOIN device_templates t ON t.id = e.template_id",
            Map.of("type", "t.device_type", "config", "e.attributes"),
            V2Store::deviceColumns);

    private final Table users = new Table(EntitySpec.USER, "users", true, null);
    private final Table devices = new Table(EntitySpec.DEVICE, "devices", true, new Table.Reference("ownerId", users), DEVICES);
    private final Table alerts = new Table(EntitySpec.ALERT, "alerts", true, new Table.Reference("deviceId", devices));
    private final Readings readings = Readings.v2();

    @Override
    Table devices() {
        return devices;
    }

    @Override
    Table users() {
        return users;
    }

    @Override
    Table alerts() {
        return alerts;
    }

    @Override
    Readings readings() {
        return readings;
    }

    @Override
    Future<Void> beforeWrite(SqlConnection connection, String tenant) {
        boolean isDefault = DEFAULT_TENANT.equals(tenant);
        return connection.preparedQuery("INSERT INTO tenants (id, name, slug, plan, status) VALUES ($1, $2, $3, $4, 'ACTIVE') ON CONFLICT DO NOTHING")
                .execute(Tuple.of(tenant, isDefault ? "Default Tenant" : tenant, isDefault ? "default" : tenant, isDefault ? "ENTERPRISE" : "STANDARD"))
                .mapEmpty();
    }

    private static Future<Map<String, Object>> deviceColumns(SqlConnection connection, String tenant, Map<String, Object> values) {
        String type = (String) values.get("type");
        return template(connection, tenant, type).map(template -> {
            JsonObject config = (JsonObject) values.get("config");
            values.put("config", config == null ? new JsonObject() : config);
            Map<String, Object> columns = new LinkedHashMap<>();
            columns.put("template_id", template);
            columns.put("name", values.get("name"));
            columns.put("status", values.get("status"));
            columns.put("attributes", values.get("config"));
            columns.put("metadata", new JsonObject().put("migratedFrom", "v1").put("originalType", type));
            columns.put("owner_id", values.get("ownerId"));
            return columns;
        });
    }

    /** The id of the tenant's template for a device type, created if absent as the default mapping creates it. */
    private static Future<String> template(SqlConnection connection, String tenant, String type) {
        return connection.preparedQuery("INSERT INTO device_templates (id, tenant_id, name, device_type) VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(tenant + ":" + type, tenant, type))
                .compose(inserted -> connection.preparedQuery("SELECT id FROM device_templates WHERE tenant_id = $1 AND device_type = $2")
                        .execute(Tuple.of(tenant, type)))
                .map(rows -> {
                    if (rows.size() != 1) {
                        throw new IllegalStateException("no device template of type " + type + " in tenant " + tenant);
                    }
                    return rows.iterator().next().getString("id");
                });
    }
}
