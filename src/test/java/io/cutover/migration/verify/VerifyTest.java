package io.cutover.migration.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.clock.Ticker;
import io.cutover.migration.Mapping;
import io.cutover.migration.MappingLoader;
import io.cutover.migration.MigrationCli;
import io.cutover.migration.TestData;
import io.cutover.migration.TestDatabases;
import io.cutover.migration.backfill.Backfill;
import io.cutover.migration.backfill.BackfillOptions;
import io.cutover.migration.backfill.Progress;
import io.cutover.migration.verify.Difference.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerifyTest {

    private final Mapping mapping = MappingLoader.defaultMapping(Map.of());
    private TestDatabases t;

    @BeforeEach
    void backfilled() {
        t = TestDatabases.create();
        TestData.generate(t);
        new Backfill(t.dbs, BackfillOptions.defaults(), Progress.NONE, Ticker.SYSTEM).run(mapping);
    }

    @AfterEach
    void close() {
        t.close();
    }

    private VerifyReport verify(VerifyOptions options) {
        return new Verify(t.dbs, options, Clock.systemUTC(), Ticker.SYSTEM).run(mapping);
    }

    @Test
    void shouldReportEqualAfterBackfill() {
        VerifyReport report = verify(VerifyOptions.defaults());

        assertThat(report.equal()).isTrue();
        assertThat(report.table("telemetry").v1Rows()).isEqualTo(TestData.TELEMETRY);
        assertThat(report.table("telemetry").v2Rows()).isEqualTo(TestData.TELEMETRY);
        assertThat(report.table("devices").v2Rows()).isEqualTo(TestData.DEVICES);
    }

    /** Default ranges, and tiny ones that force several rounds of bisection before the row level. */
    @ParameterizedTest
    @ValueSource(strings = {"default", "bisecting"})
    void shouldNameExactlyTheChangedDeletedAndAddedRows(String variant) {
        changeFiveRowsInV2();
        VerifyOptions options = variant.equals("default") ? VerifyOptions.defaults()
                : new VerifyOptions(Duration.ZERO, 2, 16, 1000);

        VerifyReport report = verify(options);

        assertThat(report.equal()).isFalse();
        assertThat(report.differences()).containsExactlyInAnyOrder(
                new Difference("users", "u0003", Kind.DIFFERENT),
                new Difference("devices", "d0010", Kind.DIFFERENT),
                new Difference("telemetry", "1500", Kind.DIFFERENT),
                new Difference("telemetry", "1000000", Kind.EXTRA),
                new Difference("alerts", "a0007", Kind.MISSING));
        assertThat(report.table("alerts").v2Rows()).isEqualTo(TestData.ALERTS - 1);
    }

    @Test
    void shouldFindTogetherInThreeShardsExactlyTheDifferencesOfOneRunAndCleanUpThePlan() {
        changeFiveRowsInV2();
        VerifyReport whole = verify(VerifyOptions.defaults());
        java.util.List<Difference> sharded = new java.util.ArrayList<>();
        long v1Rows = 0;

        for (int i = 0; i < 3; i++) {
            VerifyReport part = new Verify(t.dbs, VerifyOptions.defaults(), Clock.systemUTC(), Ticker.SYSTEM)
                    .run(mapping, null, new io.cutover.migration.shard.Shard(i, 3), nanos -> { });
            sharded.addAll(part.differences());
            v1Rows += part.table("telemetry").v1Rows();
            assertThat(part.table("telemetry").v1Rows()).as("shard %d", i).isPositive();
        }

        assertThat(sharded).containsExactlyInAnyOrderElementsOf(whole.differences()).hasSize(5);
        assertThat(v1Rows).isEqualTo(TestData.TELEMETRY);
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM cutover_shard_plans")).isZero();
    }

    @Test
    void shouldExitOneAndPrintTheDifferencesAsJson() {
        changeFiveRowsInV2();
        StringWriter out = new StringWriter();

        int code = MigrationCli.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "verify", "--format", "json",
                "--v1-url", t.v1.url(), "--v1-user", "postgres", "--v2-url", t.v2.url(), "--v2-user", "postgres");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("\"equal\" : false", "\"key\" : \"a0007\"", "\"kind\" : \"missing\"",
                "\"key\" : \"1000000\"", "\"kind\" : \"extra\"");
    }

    @Test
    void shouldExitZeroWhenEqual() {
        StringWriter out = new StringWriter();

        int code = MigrationCli.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "verify",
                "--v1-url", t.v1.url(), "--v1-user", "postgres", "--v2-url", t.v2.url(), "--v2-user", "postgres");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("verify: equal");
    }

    @Test
    void shouldLeaveOutRowsWrittenInTheLastSecondsWhenAsked() {
        t.v2("INSERT INTO telemetry (id, tenant_id, device_id, \"timestamp\", metrics, source, quality) "
                + "VALUES (1000001, 'default_tenant_id', 'd0001', now(), '{}', 'live', 'GOOD');"
                + "UPDATE devices SET status = 'MAINTENANCE', updated_at = now() WHERE id = 'd0002'");

        assertThat(verify(VerifyOptions.defaults()).differences()).hasSize(2);
        VerifyReport recentExcluded = verify(new VerifyOptions(Duration.ofSeconds(10), 128, 4096, 1000));

        assertThat(recentExcluded.equal()).isTrue();
    }

    private void changeFiveRowsInV2() {
        t.v2("UPDATE users SET name = 'Changed' WHERE id = 'u0003';"
                + "UPDATE devices SET attributes = '{\"interval\": 1}' WHERE id = 'd0010';"
                + "UPDATE telemetry SET quality = 'BAD' WHERE id = 1500;"
                + "DELETE FROM alerts WHERE id = 'a0007';"
                + "INSERT INTO telemetry (id, tenant_id, device_id, \"timestamp\", metrics, source, quality) "
                + "VALUES (1000000, 'default_tenant_id', 'd0001', '2024-06-01T00:00:00Z', '{}', 'migrated', 'GOOD')");
    }
}
