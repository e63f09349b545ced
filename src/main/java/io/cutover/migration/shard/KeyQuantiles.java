package io.cutover.migration.shard;

import io.cutover.migration.Await;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Where to cut a source table's key space into N ranges of about equal rows: the 1/N, 2/N, ... quantiles of its
 * keys ({@code percentile_disc}), in the order the job pages or compares by, so that skewed or sparse keys still
 * give balanced shards. A table with more than {@value #SAMPLE_ABOVE} rows (by the planner's estimate) is sampled
 * ({@code TABLESAMPLE SYSTEM}, about {@value #SAMPLE_ROWS} rows) rather than sorted whole.
 */
public final class KeyQuantiles {

    static final long SAMPLE_ABOVE = 2_000_000;
    static final long SAMPLE_ROWS = 200_000;

    private KeyQuantiles() {
    }

    /**
     * @param table   the source table (as the mapping names it)
     * @param ordered the key expression over {@code src}, with its collation when it has one
     * @return {@code count - 1} ascending bounds as text, or none for an empty table
     */
    public static List<String> of(Pool source, String table, String ordered, int count) {
        if (count < 2) {
            return List.of();
        }
        Double[] fractions = new Double[count - 1];
        for (int i = 1; i < count; i++) {
            fractions[i - 1] = (double) i / count;
        }
        long estimate = estimate(source, table);
        if (estimate > SAMPLE_ABOVE) {
            double percent = Math.max(0.01, Math.min(100.0, 100.0 * SAMPLE_ROWS / estimate));
            List<String> sampled = quantiles(source, table + " AS src TABLESAMPLE SYSTEM (" + percent + ")", ordered,
                    fractions);
            if (!sampled.isEmpty()) {
                return sampled;
            }
        }
        return quantiles(source, table + " AS src", ordered, fractions);
    }

    private static long estimate(Pool source, String table) {
        for (Row row : Await.result(source.preparedQuery("SELECT reltuples::bigint FROM pg_class"
                + " WHERE oid = to_regclass($1)").execute(Tuple.of(table)))) {
            return row.getLong(0);
        }
        return -1;
    }

    private static List<String> quantiles(Pool source, String from, String ordered, Double[] fractions) {
        Row row = Await.result(source.preparedQuery("SELECT (percentile_disc($1::float8[]) WITHIN GROUP (ORDER BY "
                + ordered + "))::text[] FROM " + from).execute(Tuple.tuple().addArrayOfDouble(fractions))).iterator().next();
        String[] bounds = row.getArrayOfStrings(0);
        return bounds == null ? List.of() : new ArrayList<>(List.of(bounds));
    }
}
