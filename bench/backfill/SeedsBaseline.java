// The seeds' history copy (seed 000), as a baseline: pages of 1000 ordered by timestamp and read
// by OFFSET, then one upsert per row, one round trip each. Runs a sample of pages spread evenly
// over the table and prints the measured cost per page, to extrapolate to the whole table.
// Run: java -cp "target/quarkus-app/lib/main/*" bench/backfill/SeedsBaseline.java V1_URL V2_URL ROWS SAMPLE_PAGES
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

public class SeedsBaseline {
    static final int PAGE = 1000;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
            System.exit(0);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool v1 = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(PgConnectOptions.fromUri(args[0])).using(vertx).build();
        Pool v2 = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(PgConnectOptions.fromUri(args[1])).using(vertx).build();
        long rows = Long.parseLong(args[2]);
        int samples = Integer.parseInt(args[3]);
        long pages = (rows + PAGE - 1) / PAGE;
        String read = "SELECT id, device_id, \"timestamp\"::text, data::text, protocol, source FROM device_data "
                + "ORDER BY \"timestamp\" LIMIT " + PAGE + " OFFSET $1";
        String upsert = "INSERT INTO telemetry (id, tenant_id, device_id, \"timestamp\", metrics, protocol, source, quality) "
                + "VALUES ($1, 'default_tenant_id', $2, ($3::text)::timestamptz, ($4::text)::jsonb, $5, COALESCE($6, 'migrated'), 'GOOD') "
                + "ON CONFLICT (id) DO UPDATE SET device_id = EXCLUDED.device_id, \"timestamp\" = EXCLUDED.\"timestamp\", "
                + "metrics = EXCLUDED.metrics, protocol = EXCLUDED.protocol, source = EXCLUDED.source, quality = EXCLUDED.quality";
        long readNanos = 0, writeNanos = 0, copied = 0;
        for (int s = 0; s < samples; s++) {
            long offset = (pages * s / samples) * PAGE;
            long t0 = System.nanoTime();
            var page = v1.preparedQuery(read).execute(Tuple.of(offset)).toCompletionStage().toCompletableFuture().get();
            long t1 = System.nanoTime();
            for (Row r : page) {
                v2.preparedQuery(upsert).execute(Tuple.of(r.getLong(0), r.getString(1), r.getString(2), r.getString(3),
                        r.getString(4), r.getString(5))).toCompletionStage().toCompletableFuture().get();
                copied++;
            }
            long t2 = System.nanoTime();
            readNanos += t1 - t0;
            writeNanos += t2 - t1;
        }
        double perPage = (readNanos + writeNanos) / 1e9 / samples;
        double total = perPage * pages;
        System.out.printf("SEEDS sample_pages=%d rows=%d read_s=%.3f write_s=%.3f per_page_s=%.4f extrapolated_total_s=%.1f rows_per_s=%.0f%n",
                samples, copied, readNanos / 1e9, writeNanos / 1e9, perPage, total, rows / total);
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }
}
