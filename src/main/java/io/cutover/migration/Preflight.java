package io.cutover.migration;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, reading only, that every table and column the mapping needs exists on both sides: source
 * tables, their key and plain columns (other source expressions are tried with {@code LIMIT 0}),
 * target tables and mapped columns, and the mapping's {@code requires}.
 */
public final class Preflight {

    private static final String COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped""";

    private final Pool source;
    private final Pool target;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Map<String, String>> cache = new HashMap<>();

    private Preflight(Pool source, Pool target) {
        this.source = source;
        this.target = target;
    }

    public static PreflightReport run(Mapping mapping, Pool source, Pool target) {
        return new Preflight(source, target).check(mapping);
    }

    private PreflightReport check(Mapping mapping) {
        mapping.requiredSource().forEach((table, cols) -> requireColumns("v1", source, table, cols, "required by the mapping"));
        mapping.requiredTarget().forEach((table, cols) -> requireColumns("v2", target, table, cols, "required by the mapping"));
        Map<String, TableSchema> schemas = new LinkedHashMap<>();
        for (TableMapping table : mapping.tables()) {
            Map<String, String> sourceCols = checkSource(table);
            Map<String, String> targetCols = requireColumns("v2", target, table.target(),
                    table.columns().stream().map(ColumnMapping::target).toList(), "mapped by " + table.name());
            schemas.put(table.name(), new TableSchema(sourceCols.get(table.sourceKey()), targetCols));
        }
        return new PreflightReport(List.copyOf(problems), schemas);
    }

    private Map<String, String> checkSource(TableMapping table) {
        Map<String, String> cols = columns(source, table.source());
        if (cols.isEmpty()) {
            problems.add("v1: table " + table.source() + " is missing (source of " + table.name() + ")");
            return cols;
        }
        for (ColumnMapping column : table.staged()) {
            String plain = Sql.columnOf(column.source());
            if (plain != null) {
                if (!cols.containsKey(plain)) {
                    problems.add("v1: table " + table.source() + " has no column " + plain
                            + " (source of " + table.target() + "." + column.target() + ")");
                }
            } else {
                tryExpression(table, column);
            }
        }
        return cols;
    }

    private void tryExpression(TableMapping table, ColumnMapping column) {
        String sql = "SELECT " + column.source() + " FROM " + table.source() + " LIMIT 0";
        try {
            Await.result(source.query(sql).execute());
        } catch (RuntimeException e) {
            problems.add("v1: cannot compute " + table.target() + "." + column.target() + " from " + table.source()
                    + " as `" + column.source() + "`: " + e.getMessage());
        }
    }

    private Map<String, String> requireColumns(String side, Pool pool, String table, List<String> required, String why) {
        Map<String, String> cols = columns(pool, table);
        if (cols.isEmpty()) {
            problems.add(side + ": table " + table + " is missing (" + why + ")");
            return cols;
        }
        for (String column : required) {
            if (!cols.containsKey(column)) {
                problems.add(side + ": table " + table + " has no column " + column + " (" + why + ")");
            }
        }
        return cols;
    }

    private Map<String, String> columns(Pool pool, String table) {
        String cacheKey = (pool == source ? "v1:" : "v2:") + table;
        return cache.computeIfAbsent(cacheKey, k -> {
            Map<String, String> cols = new LinkedHashMap<>();
            for (Row row : Await.result(pool.preparedQuery(COLUMNS).execute(Tuple.of(table)))) {
                cols.put(row.getString(0), row.getString(1));
            }
            return cols;
        });
    }
}
