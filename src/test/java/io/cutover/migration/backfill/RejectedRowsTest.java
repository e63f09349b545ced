package io.cutover.migration.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.migration.Await;
import io.cutover.migration.Databases;
import io.cutover.migration.Endpoint;
import io.cutover.migration.MigrationCli;
import io.cutover.migration.TestData;
import io.cutover.migration.TestDatabases;
import io.vertx.sqlclient.Row;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dirty V1 rows that a stricter V2 refuses: set aside with their reason, every other row copied, exit 3; verify
 * names them apart; after the constraint is fixed a rerun copies them and clears the rejects.
 */
class RejectedRowsTest {

    /** V1 rows without a protocol (i % 11 = 0 in TestData) and three readings without a temperature. */
    private static final String DIRTY_IDS = "SELECT id::text FROM device_data WHERE protocol IS NULL"
            + " OR NOT data ? 'temperature' ORDER BY id";

    private TestDatabases t;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void dirtyV1StricterV2() {
        t = TestDatabases.create();
        TestData.generate(t);
        t.v1("UPDATE device_data SET data = '{\"humidity\": 1}' WHERE id IN (7, 500, 1999)");
        t.v2("ALTER TABLE telemetry ALTER COLUMN protocol SET NOT NULL;"
                + "ALTER TABLE telemetry ADD CONSTRAINT telemetry_has_temperature CHECK (metrics ? 'temperature')");
    }

    @AfterEach
    void close() {
        t.close();
    }

    private int run(String job, String... more) {
        out = new StringWriter();
        err = new StringWriter();
        return MigrationCli.run(new PrintWriter(out), new PrintWriter(err), cli(job, more));
    }

    private Set<String> keys(String sql, boolean onV1) {
        Set<String> keys = new TreeSet<>();
        (onV1 ? t.v1(sql) : t.v2(sql)).forEach(r -> keys.add(r.getString(0)));
        return keys;
    }

    @Test
    void shouldSetAsideTheRowsV2RefusesWithTheirReasonCopyEveryOtherRowAndExitThree() throws Exception {
        Set<String> dirty = keys(DIRTY_IDS, true);
        assertThat(dirty).hasSizeGreaterThan(100).contains("7", "500", "1999", "11");

        assertThat(run("backfill", "--batch-size", "500", "--progress", "none")).isEqualTo(3);

        Set<String> all = keys("SELECT id::text FROM device_data", true);
        Set<String> copied = keys("SELECT id::text FROM telemetry", false);
        Set<String> expected = new TreeSet<>(all);
        expected.removeAll(dirty);
        assertThat(copied).isEqualTo(expected);
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM users")).isEqualTo(TestData.USERS);
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM alerts")).isEqualTo(TestData.ALERTS);

        List<Row> rejects = t.v2("SELECT key, error, sqlstate, v1_row::text, run FROM cutover_backfill_rejects"
                + " WHERE mapping = 'default' AND table_name = 'telemetry' ORDER BY key::bigint");
        assertThat(rejects.stream().map(r -> r.getString(0)).toList()).containsExactlyInAnyOrderElementsOf(dirty);
        Row seven = rejects.stream().filter(r -> r.getString(0).equals("7")).findFirst().orElseThrow();
        assertThat(seven.getString(1)).contains("telemetry_has_temperature");
        assertThat(seven.getString(2)).isEqualTo("23514");
        Map<?, ?> v1Row = new ObjectMapper().readValue(seven.getString(3), Map.class);
        assertThat(v1Row.get("id")).isEqualTo(7);
        assertThat(v1Row.get("data")).isEqualTo(Map.of("humidity", 1));
        Row eleven = rejects.stream().filter(r -> r.getString(0).equals("11")).findFirst().orElseThrow();
        assertThat(eleven.getString(1)).contains("null value in column \"protocol\"");
        assertThat(eleven.getString(2)).isEqualTo("23502");
        assertThat(out.toString()).contains("rejected (set aside in cutover_backfill_rejects",
                "telemetry 7: ", "rows rejected (exit 3)");

        assertThat(run("verify")).as("verify: the only differences are known rejects").isEqualTo(3);
        assertThat(out.toString()).contains("rejected (known: V2 refused them at backfill",
                "rejected telemetry 7: new row for relation \"telemetry\" violates check constraint")
                .doesNotContain("missing telemetry");
    }

    @Test
    void shouldCopyTheRejectedRowsAndClearThemOnARerunAfterV2IsFixed() {
        assertThat(run("backfill", "--batch-size", "500", "--progress", "none")).isEqualTo(3);
        long rejected = TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM cutover_backfill_rejects");
        t.v2("ALTER TABLE telemetry ALTER COLUMN protocol DROP NOT NULL;"
                + "ALTER TABLE telemetry DROP CONSTRAINT telemetry_has_temperature");

        assertThat(run("backfill", "--batch-size", "500", "--progress", "none")).isZero();

        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM cutover_backfill_rejects")).isZero();
        assertThat(keys("SELECT id::text FROM telemetry", false)).isEqualTo(keys("SELECT id::text FROM device_data", true));
        assertThat(out.toString()).contains(String.format("(%,d earlier rejects went in)", rejected));
        assertThat(run("verify")).isZero();
    }

    @Test
    void shouldTryTheRejectsAgainOnTheNextRunAndKeepThoseStillRefused() {
        assertThat(run("backfill", "--batch-size", "500", "--progress", "none")).isEqualTo(3);
        t.v2("ALTER TABLE telemetry DROP CONSTRAINT telemetry_has_temperature");

        assertThat(run("backfill", "--batch-size", "500", "--progress", "none")).isEqualTo(3);

        assertThat(keys("SELECT key FROM cutover_backfill_rejects", false))
                .isEqualTo(keys("SELECT id::text FROM device_data WHERE protocol IS NULL", true));
        assertThat(t.v2("SELECT metrics::text FROM telemetry WHERE id = 500").get(0).getString(0))
                .isEqualTo("{\"humidity\": 1}");
        assertThat(t.v2("SELECT min(attempts) FROM cutover_backfill_rejects").get(0).getInteger(0)).isEqualTo(2);
    }

    @Test
    void shouldRetryTheRejectsBehindTheCheckpointWhenResumingAfterV2IsFixed() {
        // users, devices and two telemetry pages (ids 1 to 1,000), then stopped: the rejects so far are behind the checkpoint
        assertThat(run("backfill", "--batch-size", "500", "--progress", "none", "--max-batches", "4")).isEqualTo(3);
        assertThat(keys("SELECT key FROM cutover_backfill_rejects", false)).contains("7", "500", "11")
                .doesNotContain("1999");
        t.v2("ALTER TABLE telemetry ALTER COLUMN protocol DROP NOT NULL;"
                + "ALTER TABLE telemetry DROP CONSTRAINT telemetry_has_temperature");

        assertThat(run("backfill", "--batch-size", "500", "--progress", "none")).isZero();

        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM cutover_backfill_rejects")).isZero();
        assertThat(keys("SELECT id::text FROM telemetry", false)).isEqualTo(keys("SELECT id::text FROM device_data", true));
    }

    @Test
    void shouldRecordEachShardsProgressAndRejectsForTheStatusPage() throws Exception {
        Endpoint record = TestDatabases.routerDatabase(true);
        String[] recordArgs = {"--record-url", record.url(), "--record-user", "postgres", "--batch-size", "500",
                "--progress", "none"};
        ExecutorService pods = Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String shard = i + "/2";
                codes.add(pods.submit(() -> MigrationCli.run(new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()), cli("backfill", concat(recordArgs, "--shard", shard)))));
            }
            for (var code : codes) {
                assertThat(code.get(60, TimeUnit.SECONDS)).isEqualTo(3);
            }
        } finally {
            pods.shutdownNow();
        }

        List<String> shards = new ArrayList<>();
        long rejected = 0;
        try (Databases r = Databases.open(record, record, null, 1)) {
            for (Row row : Await.result(r.target().query("SELECT shard || '/' || shard_count, state, table_name,"
                    + " rows_done = rows_total, rejected, note FROM cutover_migration_shards WHERE job = 'backfill'"
                    + " ORDER BY shard").execute())) {
                shards.add(row.getString(0) + " " + row.getString(1) + " " + row.getString(2) + " " + row.getBoolean(3));
                assertThat(row.getLong(4)).isPositive();
                assertThat(row.getString(5)).isEqualTo(row.getLong(4) + " rows rejected");
                rejected += row.getLong(4);
            }
        }
        assertThat(shards).containsExactly("0/2 done alerts true", "1/2 done alerts true");
        assertThat(rejected).isEqualTo(keys(DIRTY_IDS, true).size());
    }

    private String[] cli(String job, String... more) {
        List<String> args = new ArrayList<>(List.of(job, "--v1-url", t.v1.url(), "--v1-user", "postgres",
                "--v2-url", t.v2.url(), "--v2-user", "postgres"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void shouldStopWithExitTwoPastMaxRejectsKeepingWhatItSetAside() {
        assertThat(run("backfill", "--batch-size", "500", "--progress", "none", "--max-rejects", "5")).isEqualTo(2);

        assertThat(err.toString()).contains("more than 5 rows rejected by V2 (--max-rejects 5)");
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM cutover_backfill_rejects"))
                .isGreaterThan(5);
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM cutover_backfill_checkpoint"))
                .as("resumable").isPositive();
    }
}
