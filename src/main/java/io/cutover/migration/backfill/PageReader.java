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

    PageReader(Pool source, TableMapping table, String keyType, int batchSize) {
        this.source = source;
        this.batchSize = batchSize;
        this.keyType = keyType;
        List<ColumnMapping> staged = table.staged();
        this.width = staged.size();
        this.keyIndex = staged.indexOf(table.column(table.key()));
        // qualified: ORDER BY a bare name would sort by the output column (the key as text) of that name
        String key = "src." + Sql.ident(table.sourceKey());
        String select = "SELECT " + staged.stream().map(c -> "(" + c.source() + ")::text")
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
        String[][] columns = new String[width][size];
        int i = 0;
        for (Row row : rows) {
            for (int c = 0; c < width; c++) {
                columns[c][i] = row.getString(c);
            }
            i++;
        }
        return new Page(columns, size, columns[keyIndex][size - 1]);
    }

    String keyType() {
        return keyType;
    }
}
