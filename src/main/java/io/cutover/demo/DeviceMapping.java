package io.cutover.demo;

import io.cutover.demo.rows.DeviceRow;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Devices over either schema: the shared columns here, the two places the schemas differ (how a
 * device's type and its config are stored) in the subclass; V2's confined to a tenant. The owner
 * must exist (in the tenant).
 */
abstract class DeviceMapping<D extends DeviceRow> extends RowMapping<D> {

    private final Table<?> users;

    /** {@code from}: the HQL {@code from} clause of the listing, the entity aliased {@code e}. */
    DeviceMapping(Class<D> type, String from, Supplier<D> emptyRow, Scope<D> scope, Table<?> users) {
        super(type, from, emptyRow, scope);
        this.users = users;
    }

    abstract String typeOf(D row);

    abstract JsonObject configOf(D row);

    /** Stores the device's type and config the schema's way (V2 finds or creates the type's template). */
    abstract Uni<Void> storeTypeAndConfig(Mutiny.Session session, D row, String type, JsonObject config);

    @Override
    public final Map<String, Object> values(D d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", d.name);
        v.put("type", typeOf(d));
        v.put("status", d.status);
        v.put("config", configOf(d));
        v.put("ownerId", d.ownerId);
        return v;
    }

    @Override
    public final Uni<Void> apply(Mutiny.Session session, D d, Map<String, Object> v, Instant now) {
        String ownerId = (String) v.get("ownerId");
        return ReferenceStore.requireReference(session, users, tenantOf(d), ownerId, "ownerId")
                .chain(() -> storeTypeAndConfig(session, d, (String) v.get("type"), (JsonObject) v.get("config")))
                .invoke(() -> {
                    d.name = (String) v.get("name");
                    d.status = (String) v.get("status");
                    d.ownerId = ownerId;
                    d.updatedAt = now;
                });
    }

    @Override
    public final JsonObject json(D d) {
        JsonObject own = new JsonObject()
                .put("id", d.id)
                .put("name", d.name)
                .put("type", typeOf(d))
                .put("status", d.status)
                .put("config", configOf(d))
                .put("ownerId", d.ownerId);
        return withTenantAndCreation(own, d).put("updatedAt", ReferenceStore.text(d.updatedAt));
    }
}
