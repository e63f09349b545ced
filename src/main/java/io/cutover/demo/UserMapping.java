package io.cutover.demo;

import io.cutover.demo.rows.UserRow;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/** Users over either schema: the same columns, V2's confined to a tenant. */
final class UserMapping<U extends UserRow> extends RowMapping<U> {

    UserMapping(Class<U> type, String entity, Supplier<U> emptyRow, Scope<U> scope) {
        super(type, "from " + entity + " e", emptyRow, scope);
    }

    @Override
    public Map<String, Object> values(U u) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("email", u.email);
        v.put("name", u.name);
        v.put("role", u.role);
        return v;
    }

    @Override
    public Uni<Void> apply(Mutiny.Session session, U u, Map<String, Object> v, Instant now) {
        u.email = (String) v.get("email");
        u.name = (String) v.get("name");
        u.role = (String) v.get("role");
        u.updatedAt = now;
        return Uni.createFrom().voidItem();
    }

    @Override
    public JsonObject json(U u) {
        JsonObject own = new JsonObject()
                .put("id", u.id)
                .put("email", u.email)
                .put("name", u.name)
                .put("role", u.role);
        return withTenantAndCreation(own, u).put("updatedAt", ReferenceStore.text(u.updatedAt));
    }
}
