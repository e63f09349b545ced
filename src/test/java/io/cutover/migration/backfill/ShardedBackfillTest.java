package io.cutover.migration.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.clock.Ticker;
import io.cutover.migration.Databases;
import io.cutover.migration.Mapping;
import io.cutover.migration.MappingLoader;
import io.cutover.migration.TestData;
import io.cutover.migration.TestDatabases;
import io.cutover.migration.shard.Shard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** backfill --shard I/N: N runs at once, each its own process would be (own pools), against real PostgreSQL. */
class ShardedBackfillTest {

    /** The V2 tables the mapping copies row for row (tenants and templates are made on V2, with V2's times). */
    private static final List<String> COPIED = List.of("users", "devices", "telemetry", "alerts");
    private final Mapping mapping = MappingLoader.defaultMapping(Map.of());
    private final ExecutorService pods = Executors.newFixedThreadPool(4);
    private final List<TestDatabases> created = new ArrayList<>();

    @AfterEach
    void close() throws InterruptedException {
        pods.shutdownNow();
        pods.awaitTermination(30, TimeUnit.SECONDS);
        created.forEach(TestDatabases::close);
    }

    private TestDatabases databases() {
        TestDatabases t = TestDatabases.create();
        created.add(t);
        return t;
    }

    /** One shard as its pod runs it: its own Vert.x and pools. */
    private BackfillSummary shard(TestDatabases t, Shard shard, int batchSize, Progress progress) {
        try (Databases dbs = Databases.open(t.v1, t.v2, null, 4)) {
            return new Backfill(dbs, new BackfillOptions(batchSize, 0, 0, false, 2).withShard(shard), progress,
                    Ticker.SYSTEM).run(mapping);
        }
    }

    private List<BackfillSummary> allShardsAtOnce(TestDatabases t, int count, int batchSize) throws Exception {
        List<Future<BackfillSummary>> running = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Shard s = new Shard(i, count);
            running.add(pods.submit(() -> shard(t, s, batchSize, Progress.NONE)));
        }
        List<BackfillSummary> summaries = new ArrayList<>();
        for (Future<BackfillSummary> f : running) {
            summaries.add(f.get(60, TimeUnit.SECONDS));
        }
        return summaries;
    }

    @Test
    void shouldGiveExactlyTheResultOfOneRunWhenShards0To2RunAtOnce() throws Exception {
        TestDatabases one = databases();
        TestDatabases three = databases();
        TestData.generate(one);
        TestData.generate(three);
        new Backfill(one.dbs, new BackfillOptions(100, 0, 0, false, 2), Progress.NONE, Ticker.SYSTEM).run(mapping);

        List<BackfillSummary> shards = allShardsAtOnce(three, 3, 100);

        assertThat(shards).allSatisfy(s -> assertThat(s.complete()).isTrue());
        assertThat(shards.stream().filter(BackfillSummary::everyShardDone)).as("one shard finishes last").hasSize(1);
        for (String table : List.of("users", "devices", "telemetry", "alerts")) {
            assertThat(shards.stream().mapToLong(s -> s.table(table).rows()).sum()).as("%s: ranges are disjoint", table)
                    .isEqualTo(TestDatabases.count(one.dbs.source(), "SELECT count(*) FROM "
                            + (table.equals("telemetry") ? "device_data" : table)));
            assertThat(shards).as(table).allSatisfy(s -> assertThat(s.table(table).rows()).isPositive());
        }
        for (String table : COPIED) {
            assertThat(TestDatabases.rowsById(three.dbs.target(), table)).as(table)
                    .isEqualTo(TestDatabases.rowsById(one.dbs.target(), table));
            assertThat(checksum(three, table)).as(table).isEqualTo(checksum(one, table));
        }
        for (String table : List.of("tenants", "device_templates")) {
            assertThat(withoutWriteTimes(three, table)).as(table).isEqualTo(withoutWriteTimes(one, table));
        }
        assertThat(TestDatabases.count(three.dbs.target(), "SELECT count(*) FROM cutover_backfill_checkpoint")).isZero();
        assertThat(TestDatabases.count(three.dbs.target(), "SELECT count(*) FROM cutover_shard_plans")
                + TestDatabases.count(three.dbs.target(), "SELECT count(*) FROM cutover_shard_done"))
                .as("the last shard cleans up the plan").isZero();
    }

    @Test
    void shouldResumeAShardKilledHalfWayAndStillMatchV1() throws Exception {
        TestDatabases t = databases();
        TestData.generate(t);
        Future<BackfillSummary> first = pods.submit(() -> shard(t, new Shard(0, 3), 50, Progress.NONE));
        Future<BackfillSummary> last = pods.submit(() -> shard(t, new Shard(2, 3), 50, Progress.NONE));

        assertThatThrownBy(() -> shard(t, new Shard(1, 3), 50, dieAfter("telemetry", 5)))
                .hasMessageContaining("killed");
        long checkpointed = TestDatabases.count(t.dbs.target(), "SELECT rows_copied FROM cutover_backfill_checkpoint"
                + " WHERE mapping = 'default#1/3' AND table_name = 'telemetry'");
        assertThat(checkpointed).isBetween(50L, 300L);
        assertThat(first.isDone()).as("the other shards wait for shard 1 to finish telemetry").isFalse();

        BackfillSummary resumed = shard(t, new Shard(1, 3), 50, Progress.NONE);

        assertThat(resumed.complete()).isTrue();
        assertThat(resumed.table("users").rows()).as("users were done before the kill").isZero();
        assertThat(first.get(60, TimeUnit.SECONDS).complete()).isTrue();
        assertThat(last.get(60, TimeUnit.SECONDS).complete()).isTrue();
        for (String[] pair : new String[][] {{"users", "users"}, {"devices", "devices"}, {"device_data", "telemetry"},
                {"alerts", "alerts"}}) {
            assertThat(TestDatabases.rowsById(t.dbs.target(), pair[1]).keySet()).as(pair[1])
                    .isEqualTo(TestDatabases.rowsById(t.dbs.source(), pair[0]).keySet());
        }
    }

    @Test
    void shouldBalanceShardsWithinTwiceEachOtherOnSkewedKeys() throws Exception {
        TestDatabases t = databases();
        // 100 devices; 90% of 4,000 readings on one device (1%), with dense ids; the rest on sparse ids up to 10^12
        t.v1("INSERT INTO devices (id, name, type) SELECT 'd' || lpad(i::text, 4, '0'), 'Device ' || i, 'sensor'"
                + " FROM generate_series(1, 100) i;"
                + "INSERT INTO device_data (id, device_id, \"timestamp\", data) SELECT i, 'd0001',"
                + " timestamptz '2024-01-01Z' + i * interval '1 s', '{}' FROM generate_series(1, 3600) i;"
                + "INSERT INTO device_data (id, device_id, \"timestamp\", data) SELECT i::bigint * 2500000000,"
                + " 'd' || lpad((2 + i % 99)::text, 4, '0'), timestamptz '2024-01-01Z' + i * interval '1 s', '{}'"
                + " FROM generate_series(1, 400) i");

        List<BackfillSummary> shards = allShardsAtOnce(t, 4, 200);

        List<Long> rows = shards.stream().map(s -> s.table("telemetry").rows()).toList();
        assertThat(rows.stream().mapToLong(Long::longValue).sum()).isEqualTo(4000);
        long min = rows.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = rows.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(max).as("rows per shard %s", rows).isLessThanOrEqualTo(2 * min);
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM telemetry")).isEqualTo(4000);
    }

    @Test
    void shouldRefuseAShardOutsideItsCount() {
        assertThatThrownBy(() -> Shard.parse("3/3")).hasMessageContaining("0 <= I < N");
        assertThatThrownBy(() -> Shard.parse("1of3")).hasMessageContaining("expected: I/N");
        assertThat(Shard.parse("2/4")).isEqualTo(new Shard(2, 4));
    }

    private static Map<String, Map<String, Object>> withoutWriteTimes(TestDatabases t, String table) {
        var rows = TestDatabases.rowsById(t.dbs.target(), table);
        rows.values().forEach(r -> {
            r.remove("created_at");
            r.remove("updated_at");
        });
        return rows;
    }

    /** md5 over every row in key order: the same table, byte for byte. */
    private static String checksum(TestDatabases t, String table) {
        return t.v2("SELECT md5(string_agg(row_to_json(x)::text, '|' ORDER BY x.id)) FROM " + table + " x").get(0)
                .getString(0);
    }

    /** A progress that dies (as a killed pod would, pages in flight) after some pages of one table. */
    private static Progress dieAfter(String table, int updates) {
        return new Progress() {
            private String current;
            private int seen;

            @Override
            public void start(String name, long done, long total) {
                current = name;
            }

            @Override
            public void update(long done) {
                if (current.equals(table) && ++seen >= updates) {
                    throw new IllegalStateException("killed half way through " + table);
                }
            }

            @Override
            public void finish(long done) {
            }
        };
    }

}
