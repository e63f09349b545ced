package io.cutover.migration.verify;

import io.cutover.migration.Await;
import io.cutover.migration.ColumnMapping;
import io.cutover.migration.Sql;
import io.cutover.migration.TableMapping;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One side of a comparison: the SQL that gives each row's mapped representation (V1: the mapping's
 * source expressions; V2: the same target columns) and its hash, per key range. Text keys are
 * ordered with {@code COLLATE "C"} so that both sides agree on ranges.
 */
final class Side {

    private final Pool pool;
    private final String from;
    private final String key;
    private final String ordered;
    private final String keyType;
    private final String rowHash;
    private final String recent;
    private final String cutoff;
    /** A condition every row of this side must meet (verify --tenant: the tenant's V2 rows), or null. */
    private final String scope;

    private Side(Pool pool, String from, String key, String keyType, List<String> columns, String recent, String cutoff,
                 String scope) {
        this.pool = pool;
        this.from = from;
        this.key = key;
        this.keyType = keyType;
        this.ordered = Sql.isCollatable(keyType) ? key + " COLLATE \"C\"" : key;
        this.rowHash = "md5(concat_ws('|', " + columns.stream().map(c -> "coalesce((" + c + ")::text, '\\N')")
                .collect(Collectors.joining(", ")) + "))";
        this.recent = recent;
        this.cutoff = cutoff;
        this.scope = scope;
    }

    /** @param cutoff ISO timestamp: rows whose {@code recent} column is at or after it are left out; null for none */
    static Side source(Pool pool, TableMapping table, String keyType, String cutoff) {
        return new Side(pool, table.source() + " AS src", "src." + Sql.ident(table.sourceKey()), keyType,
                table.columns().stream().map(ColumnMapping::sourceExpression).toList(),
                table.recent() == null ? null : table.column(table.recent()).sourceExpression(), cutoff, null);
    }

    /** @param scope a condition over {@code tgt} that every compared V2 row meets, or null for every row */
    static Side target(Pool pool, TableMapping table, String keyType, String cutoff, String scope) {
        return new Side(pool, table.target() + " AS tgt", "tgt." + Sql.ident(table.key()), keyType,
                table.columns().stream().map(ColumnMapping::checkExpression).toList(),
                table.recent() == null ? null : "tgt." + Sql.ident(table.recent()), cutoff, scope);
    }

    boolean integerKey() {
        return Sql.isInteger(keyType);
    }

    /** The key in the order ranges are compared in (text keys with {@code COLLATE "C"}). */
    String ordered() {
        return ordered;
    }

    /** Smallest and largest key in the range (integer keys), null when empty. */
    Future<long[]> minMax(KeyRange range) {
        List<Object> params = new ArrayList<>();
        String sql = select("min(" + key + "), max(" + key + ")", range, params, "");
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getValue(0) == null ? null : new long[] {row.getLong(0), row.getLong(1)};
                });
    }

    /** Count and hash sum per bucket of {@code range} cut at {@code bounds} (bucket i from bounds[i-1]). */
    Future<Map<Integer, Stats>> bucketStats(KeyRange range, List<String> bounds) {
        List<Object> params = new ArrayList<>();
        String bucket = "0";
        if (!bounds.isEmpty()) {
            params.add(bounds.toArray(String[]::new));
            // a sub-select: an InitPlan, cast once rather than for every row
            bucket = "width_bucket(" + ordered + ", (SELECT ($1::text[])::" + keyType + "[]))";
        }
        String hash = "('x' || substr(" + rowHash + ", 1, 16))::bit(64)::bigint";
        String sql = select(bucket + ", count(*), sum(" + hash + ")::text", range, params, " GROUP BY 1");
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            Map<Integer, Stats> result = new HashMap<>();
            for (Row row : rows) {
                result.put(row.getInteger(0), new Stats(row.getLong(1), row.getString(2)));
            }
            return result;
        });
    }

    /** Rows in the range. */
    Future<Long> count(KeyRange range) {
        List<Object> params = new ArrayList<>();
        String sql = select("count(*)", range, params, "");
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> rows.iterator().next().getLong(0));
    }

    /** Every {@code step}-th key of the range in key order: bounds to split it. */
    Future<List<String>> quantiles(KeyRange range, long step) {
        List<Object> params = new ArrayList<>();
        params.add(step);
        String inner = select(key + "::text AS k, row_number() OVER (ORDER BY " + ordered + ") AS rn", range, params, "");
        return pool.preparedQuery("SELECT k FROM (" + inner + ") q WHERE rn % $1 = 0 ORDER BY rn").execute(Tuple.from(params))
                .map(rows -> {
                    List<String> keys = new ArrayList<>();
                    rows.forEach(r -> keys.add(r.getString(0)));
                    return keys;
                });
    }

    /**
     * Key -> row hash of every row in the range, in key order, recent rows included but marked: a row
     * recent on either side is left out of the comparison (its key is in {@code recentKeys}).
     */
    Future<Map<String, String>> rows(KeyRange range, java.util.Set<String> recentKeys) {
        List<Object> params = new ArrayList<>();
        String isRecent = recent == null || cutoff == null ? "false"
                : "coalesce((" + recent + ") >= " + param(params, cutoff) + "::timestamptz, false)";
        String sql = select(key + "::text, " + rowHash + ", " + isRecent, range, params, " ORDER BY " + ordered, false);
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            Map<String, String> result = new LinkedHashMap<>();
            for (Row r : rows) {
                result.put(r.getString(0), r.getString(1));
                if (r.getBoolean(2)) {
                    synchronized (recentKeys) {
                        recentKeys.add(r.getString(0));
                    }
                }
            }
            return result;
        });
    }

    private static String param(List<Object> params, Object value) {
        params.add(value);
        return "($" + params.size() + "::text)";
    }

    private String select(String what, KeyRange range, List<Object> params, String tail) {
        return select(what, range, params, tail, true);
    }

    private String select(String what, KeyRange range, List<Object> params, String tail, boolean leaveOutRecent) {
        List<String> where = new ArrayList<>();
        if (scope != null) {
            where.add("(" + scope + ")");
        }
        Function<Object, String> param = value -> param(params, value);
        if (range.lo() != null) {
            where.add(ordered + " >= (SELECT " + param.apply(range.lo()) + "::" + keyType + ")");
        }
        if (range.hi() != null) {
            where.add(ordered + " < (SELECT " + param.apply(range.hi()) + "::" + keyType + ")");
        }
        if (leaveOutRecent && recent != null && cutoff != null) {
            where.add("(" + recent + ") < (SELECT " + param.apply(cutoff) + "::timestamptz)");
        }
        return "SELECT " + what + " FROM " + from + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + tail;
    }

    static <T> T await(Future<T> future) {
        return Await.result(future);
    }
}
