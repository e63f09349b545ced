package io.cutover.migration.backfill;

import io.cutover.migration.ColumnMapping;
import io.cutover.migration.Sql;
import io.cutover.migration.TableMapping;
import io.cutover.migration.shard.Shard;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads source pages by keyset ({@code WHERE key > $last ORDER BY key LIMIT n}), never by offset, within a shard's
 * range ({@code lower < key <= upper}; the whole table when not sharded).
 */
final class PageReader {

    private final Pool source;
    private final int batchSize;
    private final int keyIndex;
    private final int width;
    private final String select;
    private final String key;
    private final String keyType;
    private final String sourceTable;
    private final Shard.Range range;
    private final List<Wire> wires;

    PageReader(Pool source, TableMapping table, String keyType, List<Wire> wires, int batchSize, Shard.Range range) {
        this.wires = wires;
        this.source = source;
        this.batchSize = batchSize;
        this.keyType = keyType;
        this.range = range;
        this.sourceTable = table.source();
        List<ColumnMapping> staged = table.staged();
        this.width = staged.size();
        this.keyIndex = staged.indexOf(table.column(table.key()));
        // qualified: ORDER BY a bare name would sort by the output column (the key as text) of that name
        this.key = "src." + Sql.ident(table.sourceKey());
        this.select = "SELECT " + IntStream.range(0, width)
                .mapToObj(i -> "(" + staged.get(i).source() + ")::" + wires.get(i).sql)
                .collect(Collectors.joining(", ")) + " FROM " + table.source() + " AS src";
    }

    /** The order shards are cut in: the key's own, as pages go. */
    String orderedKey() {
        return key;
    }

    /** The page after {@code lastKey} (from the first row of the range when null). */
    Future<Page> read(String lastKey) {
        if (range.empty()) {
            return Future.succeededFuture(Page.EMPTY);
        }
        List<Object> params = new ArrayList<>();
        params.add(batchSize);
        String where = where(lastKey, params);
        return source.preparedQuery(select + where + " ORDER BY " + key + " LIMIT $1").execute(Tuple.from(params))
                .map(this::toPage);
    }

    /** The rows of these keys that are in the range (a key no longer in V1 is not in the page). */
    Future<Page> readKeys(List<String> keys) {
        List<Object> params = new ArrayList<>();
        params.add(keys.toArray(String[]::new));
        String where = where(null, params);
        String byKey = key + " = ANY(($1::text[])::" + keyType + "[])";
        String sql = select + (where.isEmpty() ? " WHERE " + byKey : where + " AND " + byKey) + " ORDER BY " + key;
        return source.preparedQuery(sql).execute(Tuple.from(params)).map(this::toPage);
    }

    /** Which of these keys fall in the range up to {@code upTo} (inclusive), by V1's ordering of its key type. */
    Future<List<String>> inRange(List<String> keys, String upTo) {
        if (range.empty()) {
            return Future.succeededFuture(List.of());
        }
        List<Object> params = new ArrayList<>();
        params.add(keys.toArray(String[]::new));
        List<String> conditions = new ArrayList<>();
        String k = "k::" + keyType;
        for (String[] bound : new String[][] {{range.lower(), " > "}, {range.upper(), " <= "}, {upTo, " <= "}}) {
            if (bound[0] != null) {
                params.add(bound[0]);
                conditions.add(k + bound[1] + "($" + params.size() + "::text)::" + keyType);
            }
        }
        return source.preparedQuery("SELECT k FROM unnest($1::text[]) AS k"
                        + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions)))
                .execute(Tuple.from(params)).map(rows -> {
                    List<String> in = new ArrayList<>();
                    rows.forEach(r -> in.add(r.getString(0)));
                    return in;
                });
    }

    /** The V1 row of a key as JSON, for the reject; null when it is gone. */
    Future<String> rowJson(String rowKey) {
        return source.preparedQuery("SELECT row_to_json(src)::text FROM " + sourceTable + " AS src WHERE " + key
                + " = ($1::text)::" + keyType).execute(Tuple.of(rowKey))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** Rows left after {@code lastKey} in the range, for progress and ETA. */
    Future<Long> remaining(String lastKey) {
        if (range.empty()) {
            return Future.succeededFuture(0L);
        }
        List<Object> params = new ArrayList<>();
        String where = where(lastKey, params);
        return source.preparedQuery("SELECT count(*) FROM " + sourceTable + " AS src" + where)
                .execute(Tuple.from(params)).map(rs -> rs.iterator().next().getLong(0));
    }

    /** {@code WHERE key > last AND key > lower AND key <= upper}, the parts that apply, numbering after params. */
    private String where(String lastKey, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        String after = lastKey != null ? lastKey : range.lower();
        if (after != null) {
            params.add(after);
            conditions.add(key + " > ($" + params.size() + "::text)::" + keyType);
        }
        if (range.upper() != null) {
            params.add(range.upper());
            conditions.add(key + " <= ($" + params.size() + "::text)::" + keyType);
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private Page toPage(RowSet<Row> rows) {
        int size = rows.size();
        if (size == 0) {
            return Page.EMPTY;
        }
        Object[][] columns = new Object[width][];
        Wire[] wire = wires.toArray(Wire[]::new);
        for (int c = 0; c < width; c++) {
            columns[c] = wire[c].array(size);
        }
        int i = 0;
        for (Row row : rows) {
            for (int c = 0; c < width; c++) {
                columns[c][i] = wire[c].value(row, c);
            }
            i++;
        }
        return new Page(columns, size, keyIndex);
    }

    String keyType() {
        return keyType;
    }
}
