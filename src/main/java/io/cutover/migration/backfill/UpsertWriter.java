package io.cutover.migration.backfill;

import io.cutover.migration.ColumnMapping;
import io.cutover.migration.Sql;
import io.cutover.migration.TableMapping;
import io.cutover.migration.TableSchema;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One multi-row idempotent upsert per page: the page's columns go as arrays (text, or typed: {@link Wire}) through
 * {@code unnest} (the staged batch {@code b}), are cast or mapped into the target columns, and
 * {@code ON CONFLICT (key) DO UPDATE ... WHERE} the row differs, so that an unchanged row is not
 * touched. Returns how many rows were inserted and updated.
 */
final class UpsertWriter {

    /** Rows inserted and rows updated by one upsert; the rest of the page was already equal. */
    record Counts(long inserted, long updated) {
    }

    private final String upsert;
    private final List<String> beforeBatch;
    private final List<Wire> wires;

    UpsertWriter(TableMapping table, TableSchema schema, List<Wire> wires) {
        this.wires = wires;
        List<ColumnMapping> staged = table.staged();
        String batch = "unnest(" + IntStream.range(0, staged.size()).mapToObj(i -> "$" + (i + 1) + "::" + wires.get(i).sql + "[]")
                .collect(Collectors.joining(", ")) + ") AS b(" + Sql.idents(staged.stream().map(ColumnMapping::target).toList()) + ")";
        List<String> targets = table.columns().stream().map(ColumnMapping::target).toList();
        List<String> updatable = targets.stream().filter(c -> !c.equals(table.key())).toList();
        String values = table.columns().stream().map(c -> c.writeExpression(schema.targetType(c.target())))
                .collect(Collectors.joining(", "));
        String target = Sql.ident(table.target());
        this.upsert = "WITH ins AS (INSERT INTO " + target + " AS t (" + Sql.idents(targets) + ") SELECT " + values
                + " FROM " + batch + " ON CONFLICT (" + Sql.ident(table.key()) + ") DO UPDATE SET "
                + updatable.stream().map(c -> Sql.ident(c) + " = EXCLUDED." + Sql.ident(c)).collect(Collectors.joining(", "))
                + " WHERE (" + updatable.stream().map(c -> "t." + Sql.ident(c)).collect(Collectors.joining(", "))
                + ") IS DISTINCT FROM (" + updatable.stream().map(c -> "EXCLUDED." + Sql.ident(c)).collect(Collectors.joining(", "))
                + ") RETURNING (xmax = 0) AS inserted)"
                + " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM ins";
        List<String> before = new ArrayList<>();
        for (String statement : table.beforeBatch()) {
            before.add("WITH batch AS (SELECT * FROM " + batch + ") " + statement);
        }
        this.beforeBatch = List.copyOf(before);
    }

    Future<Counts> write(SqlConnection conn, Page page) {
        Tuple arrays = Tuple.tuple();
        Object[][] columns = page.columns();
        for (int c = 0; c < columns.length; c++) {
            wires.get(c).add(arrays, columns[c]);
        }
        Future<Void> before = Future.succeededFuture();
        for (String statement : beforeBatch) {
            before = before.compose(v -> conn.preparedQuery(statement).execute(arrays).mapEmpty());
        }
        return before.compose(v -> conn.preparedQuery(upsert).execute(arrays)).map(rows -> {
            Row row = rows.iterator().next();
            return new Counts(row.getLong(0), row.getLong(1));
        });
    }

    String upsertSql() {
        return upsert;
    }
}
