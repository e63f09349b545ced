package io.cutover.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MigrationCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private TestDatabases t;

    @AfterEach
    void close() {
        if (t != null) {
            t.close();
        }
    }

    private int run(String... args) {
        return MigrationCli.run(new PrintWriter(out), new PrintWriter(err), args);
    }

    private String[] withDatabases(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--v1-url", t.v1.url(), "--v1-user", "postgres", "--v2-url", t.v2.url(), "--v2-user", "postgres"));
        return all.toArray(String[]::new);
    }

    @Test
    void shouldTellJobsFromTheRouter() {
        assertThat(MigrationCli.isJob("backfill")).isTrue();
        assertThat(MigrationCli.isJob("verify", "--help")).isTrue();
        assertThat(MigrationCli.isJob("preflight")).isTrue();
        assertThat(MigrationCli.isJob()).isFalse();
        assertThat(MigrationCli.isJob("-Dquarkus.http.port=8080")).isFalse();
    }

    @Test
    void shouldExitZeroWithUsageOnHelp() {
        assertThat(run("backfill", "--help")).isZero();
        assertThat(out.toString()).contains("--v1-url", "CUTOVER_MIGRATION_V1_URL", "--max-rows-per-second", "--batch-size");
    }

    @Test
    void shouldExitTwoOnBadUsage() {
        assertThat(run("backfill", "--no-such-option")).isEqualTo(2);
        assertThat(run("backfill", "--batch-size", "zero")).isEqualTo(2);
    }

    @Test
    void shouldExitTwoWhenAUrlIsMissing() {
        assertThat(run("preflight", "--v2-url", "postgresql://localhost:1/v2")).isEqualTo(2);
        assertThat(err.toString()).contains("missing --v1-url (or environment variable CUTOVER_MIGRATION_V1_URL)");
    }

    @Test
    void shouldExitTwoWhenADatabaseIsUnreachable() {
        assertThat(run("backfill", "--v1-url", "postgresql://127.0.0.1:1/v1", "--v2-url", "postgresql://127.0.0.1:1/v2"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot reach v1 (127.0.0.1:1/v1)");
    }

    @Test
    void shouldPassPreflightAndBackfillThroughTheCommandLine() {
        t = TestDatabases.create();
        TestData.generate(t);

        assertThat(run(withDatabases("preflight"))).isZero();
        assertThat(run(withDatabases("backfill", "--batch-size", "500", "--progress", "log"))).isZero();

        assertThat(out.toString()).contains("preflight ok", "telemetry", "backfill complete");
        assertThat(err.toString()).contains("telemetry: 2,000/2,000 rows (100%)");
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM telemetry")).isEqualTo(TestData.TELEMETRY);
    }

    @Test
    void shouldNameEachMissingColumnAndExitTwoWhenPreflightFails() {
        t = TestDatabases.create();
        t.v2("ALTER TABLE telemetry DROP COLUMN quality; ALTER TABLE devices DROP COLUMN metadata");

        assertThat(run(withDatabases("preflight"))).isEqualTo(2);
        assertThat(run(withDatabases("backfill"))).isEqualTo(2);

        assertThat(err.toString()).contains("v2: table telemetry has no column quality (mapped by telemetry)",
                "v2: table devices has no column metadata (mapped by devices)");
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM tenants")).isZero();
    }
}
