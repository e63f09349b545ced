package io.cutover.demo;

import io.vertx.core.json.JsonObject;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How a schema confines an entity's rows to a tenant: V1 not at all (one tenant, no column), V2 by
 * the row's {@code tenant_id}. The one difference between the two schemas' users and alerts.
 */
final class Scope<R> {

    private final Function<R, String> tenantOf;
    private final BiConsumer<R, String> setTenant;

    private Scope(Function<R, String> tenantOf, BiConsumer<R, String> setTenant) {
        this.tenantOf = tenantOf;
        this.setTenant = setTenant;
    }

    /** V1: rows carry no tenant. */
    static <R> Scope<R> none() {
        return new Scope<>(null, null);
    }

    /** V2: rows carry their tenant in a column. */
    static <R> Scope<R> byTenant(Function<R, String> tenantOf, BiConsumer<R, String> setTenant) {
        return new Scope<>(tenantOf, setTenant);
    }

    /** HQL of the rows of entity {@code e} in id order, {@code :tenant} when scoped, {@code :after} when paging on. */
    String listQuery(String from, boolean after) {
        String where = tenantOf == null
                ? (after ? " where e.id > :after" : "")
                : " where e.tenantId = :tenant" + (after ? " and e.id > :after" : "");
        return from + where + " order by e.id";
    }

    String tenantOf(R row) {
        return tenantOf == null ? null : tenantOf.apply(row);
    }

    void stamp(R row, String tenant) {
        if (setTenant != null) {
            setTenant.accept(row, tenant);
        }
    }

    /** Adds {@code tenantId} to a row's JSON where the schema has one. */
    JsonObject tag(JsonObject json, R row) {
        return tenantOf == null ? json : json.put("tenantId", tenantOf.apply(row));
    }
}
