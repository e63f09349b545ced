package io.cutover.migration.backfill;

import io.cutover.migration.ColumnMapping;
import io.cutover.migration.Sql;
import io.cutover.migration.TableMapping;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Reads source pages by keyset ({@code WHERE key > $last ORDER BY key LIMIT n}), never by offset. */
final class PageReader {

    private final Pool source;
    private final int batchSize;
    private final int keyIndex;
    private final int width;
    private final String first;
    private final String next;
    private final String remaining;
    private final String keyType;
    private final List<Wire> wires;

    PageReader(Pool source, TableMapping table, String keyType, List<Wire> wires, int batchSize) {
        this.wires = wires;
        this.source = source;
        this.batchSize = batchSize;
        this.keyType = keyType;
        List<ColumnMapping> staged = table.staged();
        this.width = staged.size();
        this.keyIndex = staged.indexOf(table.column(table.key()));
        // qualified: ORDER BY a bare name would sort by the output column (the key as text) of that name
        String key = "src." + Sql.ident(table.sourceKey());
        String select = "SELECT " + IntStream.range(0, width)
                .mapToObj(i -> "(" + staged.get(i).source() + ")::" + wires.get(i).sql)
                .collect(Collectors.joining(", ")) + " FROM " + table.source() + " AS src";
        this.first = select + " ORDER BY " + key + " LIMIT $1";
        this.next = select + " WHERE " + key + " > ($2::text)::" + keyType + " ORDER BY " + key + " LIMIT $1";
        this.remaining = "SELECT count(*) FROM " + table.source() + " AS src WHERE $1::text IS NULL OR "
                + key + " > ($1::text)::" + keyType;
    }

    /** The page after {@code lastKey} (from the first row when null). */
    Future<Page> read(String lastKey) {
        Future<RowSet<Row>> rows = lastKey == null
                ? source.preparedQuery(first).execute(Tuple.of(batchSize))
                : source.preparedQuery(next).execute(Tuple.of(batchSize, lastKey));
        return rows.map(this::toPage);
    }

    /** Rows left after {@code lastKey}, for progress and ETA. */
    Future<Long> remaining(String lastKey) {
        return source.preparedQuery(remaining).execute(Tuple.of(lastKey)).map(rs -> rs.iterator().next().getLong(0));
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
        return new Page(columns, size, String.valueOf(columns[keyIndex][size - 1]));
    }

    String keyType() {
        return keyType;
    }
}
