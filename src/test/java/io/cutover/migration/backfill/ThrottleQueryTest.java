package io.cutover.migration.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.migration.Mapping;
import io.cutover.migration.MappingLoader;
import io.cutover.migration.MigrationCli;
import io.cutover.migration.Sleeper;
import io.cutover.migration.TestData;
import io.cutover.migration.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --throttle-query on a real V2: a health figure above --throttle-max pauses the copy (no row written meanwhile)
 * until it comes back down. Time is the test's: each page "takes" one second, each pause second is a sleep.
 */
class ThrottleQueryTest {

    private static final long SECOND = 1_000_000_000L;
    private final Mapping mapping = MappingLoader.defaultMapping(Map.of());
    private final AtomicLong now = new AtomicLong();
    private final List<Long> rowsWhilePaused = new ArrayList<>();
    private final List<String> said = new ArrayList<>();
    private TestDatabases t;

    @BeforeEach
    void databases() {
        t = TestDatabases.create();
        TestData.generate(t);
        t.v2("CREATE TABLE target_health (lag float8 NOT NULL); INSERT INTO target_health VALUES (0)");
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void shouldPauseTheCopyWhileTheThrottleQueryIsAboveTheMaximumAndResumeAfter() {
        Sleeper sleeper = nanos -> {
            rowsWhilePaused.add(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM telemetry"));
            now.addAndGet(nanos);
            if (rowsWhilePaused.size() == 3) {
                t.v2("UPDATE target_health SET lag = 2");
            }
        };
        var options = new BackfillOptions(200, 0, 0, false, 1).withThrottle("SELECT lag FROM target_health", 10);

        BackfillSummary summary = new Backfill(t.dbs, options, lagAfterTwoTelemetryPages(), now::get, sleeper)
                .run(mapping);

        assertThat(rowsWhilePaused).hasSize(3).containsOnly(400L);
        assertThat(said).containsExactly("paused 50 > 10", "resumed 2 after 3 s");
        assertThat(summary.table("telemetry").pausedNanos()).isEqualTo(3 * SECOND);
        assertThat(summary.table("users").pausedNanos()).isZero();
        assertThat(summary.complete()).isTrue();
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM telemetry")).isEqualTo(TestData.TELEMETRY);
    }

    @Test
    void shouldSayPausedOnTheProgressLine() {
        t.v2("UPDATE target_health SET lag = 99");
        StringWriter err = new StringWriter();
        RateProgress progress = RateProgress.log(new PrintWriter(err), now::get, java.time.Duration.ofSeconds(5));
        Sleeper sleeper = nanos -> {
            now.addAndGet(nanos);
            t.v2("UPDATE target_health SET lag = 1");
        };

        new Backfill(t.dbs, new BackfillOptions(500, 0, 0, false, 1).withThrottle("SELECT lag FROM target_health", 10),
                progress, now::get, sleeper).run(mapping);

        assertThat(err.toString()).contains("users: PAUSED: throttle query 99 > --throttle-max 10",
                "users: resumed after 1.0 s: throttle query 1");
    }

    @Test
    void shouldRefuseAThrottleQueryThatGivesNoNumberBeforeWritingAnything() {
        StringWriter err = new StringWriter();

        int code = MigrationCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "backfill",
                "--v1-url", t.v1.url(), "--v1-user", "postgres", "--v2-url", t.v2.url(), "--v2-user", "postgres",
                "--throttle-query", "SELECT 'busy'", "--throttle-max", "1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--throttle-query must return one number", "'busy'");
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM tenants")).isZero();
    }

    /** Each page takes a second; after telemetry's second page V2's lag jumps to 50. */
    private Progress lagAfterTwoTelemetryPages() {
        return new Progress() {
            private String table;
            private int pages;

            @Override
            public void start(String name, long done, long total) {
                table = name;
            }

            @Override
            public void update(long done) {
                now.addAndGet(SECOND);
                if (table.equals("telemetry") && ++pages == 2) {
                    t.v2("UPDATE target_health SET lag = 50");
                }
            }

            @Override
            public void finish(long done) {
            }

            @Override
            public void paused(double value, double max) {
                said.add("paused " + (long) value + " > " + (long) max);
            }

            @Override
            public void resumed(double value, long pausedNanos) {
                said.add("resumed " + (long) value + " after " + pausedNanos / SECOND + " s");
            }
        };
    }
}
