package io.cutover.demo;

import io.cutover.demo.rows.AlertRow;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/** Alerts over either schema: the same columns, V2's confined to a tenant; the device must exist (in it). */
final class AlertMapping<A extends AlertRow> extends RowMapping<A> {

    private final Table<?> devices;

    AlertMapping(Class<A> type, String entity, Supplier<A> emptyRow, Scope<A> scope, Table<?> devices) {
        super(type, "from " + entity + " e", emptyRow, scope);
        this.devices = devices;
    }

    @Override
    public Map<String, Object> values(A a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("deviceId", a.deviceId);
        v.put("severity", a.severity);
        v.put("message", a.message);
        v.put("acknowledged", a.acknowledged);
        return v;
    }

    @Override
    public Uni<Void> apply(Mutiny.Session session, A a, Map<String, Object> v, Instant now) {
        String deviceId = (String) v.get("deviceId");
        return ReferenceStore.requireReference(session, devices, tenantOf(a), deviceId, "deviceId").invoke(() -> {
            a.deviceId = deviceId;
            a.severity = (String) v.get("severity");
            a.message = (String) v.get("message");
            a.acknowledged = (Boolean) v.get("acknowledged");
        });
    }

    @Override
    public JsonObject json(A a) {
        JsonObject own = new JsonObject()
                .put("id", a.id)
                .put("deviceId", a.deviceId)
                .put("severity", a.severity)
                .put("message", a.message)
                .put("acknowledged", a.acknowledged);
        return withTenantAndCreation(own, a);
    }
}
