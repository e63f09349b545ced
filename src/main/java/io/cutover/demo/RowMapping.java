package io.cutover.demo;

import io.cutover.demo.rows.KeyedRow;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The part of a {@link Table.Mapping} that is the same for every id-keyed entity of both schemas:
 * its entity class, the listing in id order, a new row with its id, tenant and creation time, and
 * the tail of its JSON ({@code tenantId} where the schema has one, then {@code createdAt}).
 */
abstract class RowMapping<R extends KeyedRow> implements Table.Mapping<R> {

    private final Class<R> type;
    private final String from;
    private final Supplier<R> emptyRow;
    private final Scope<R> scope;

    /** {@code from}: the HQL {@code from} clause of the listing, the entity aliased {@code e}. */
    RowMapping(Class<R> type, String from, Supplier<R> emptyRow, Scope<R> scope) {
        this.type = type;
        this.from = from;
        this.emptyRow = emptyRow;
        this.scope = scope;
    }

    @Override
    public final Class<R> type() {
        return type;
    }

    @Override
    public final String listQuery(boolean tenant, boolean after) {
        return scope.listQuery(from, after);
    }

    @Override
    public final R newRow(String id, String tenant, Instant now) {
        R row = emptyRow.get();
        row.id = id;
        scope.stamp(row, tenant);
        row.createdAt = now;
        return row;
    }

    @Override
    public final String tenantOf(R row) {
        return scope.tenantOf(row);
    }

    /** The entity's own fields' JSON, then {@code tenantId} (V2) and {@code createdAt}. */
    final JsonObject withTenantAndCreation(JsonObject json, R row) {
        return scope.tag(json, row).put("createdAt", ReferenceStore.text(row.createdAt));
    }
}
