package io.cutover.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.sqlclient.Row;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jobs' --record-url: one row per run in the router's cutover_migration_runs. */
class RunLogTest {

    private TestDatabases t;

    @BeforeEach
    void databases() {
        t = TestDatabases.create();
        TestData.generate(t);
    }

    @AfterEach
    void close() {
        t.close();
    }

    private int run(StringWriter err, String job, Endpoint record, String... more) {
        List<String> args = new ArrayList<>(List.of(job, "--v1-url", t.v1.url(), "--v1-user", "postgres",
                "--v2-url", t.v2.url(), "--v2-user", "postgres", "--record-url", record.url(), "--record-user", "postgres"));
        args.addAll(List.of(more));
        return MigrationCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));
    }

    private static List<Row> runs(Endpoint record) {
        try (Databases r = Databases.open(record, record, null, 1)) {
            List<Row> rows = new ArrayList<>();
            Await.result(r.target().query("SELECT job, exit_code, summary::text, started_at <= finished_at"
                    + " FROM cutover_migration_runs ORDER BY id").execute()).forEach(rows::add);
            return rows;
        }
    }

    @Test
    void shouldRecordABackfillAndAVerifyRunWithTheirSummaries() throws Exception {
        Endpoint record = TestDatabases.routerDatabase(true);

        assertThat(run(new StringWriter(), "backfill", record, "--progress", "none")).isZero();
        t.v2("UPDATE users SET name = 'Changed' WHERE id = 'u0003'; DELETE FROM alerts WHERE id = 'a0007'");
        assertThat(run(new StringWriter(), "verify", record)).isEqualTo(1);

        List<Row> rows = runs(record);
        assertThat(rows).hasSize(2);
        ObjectMapper json = new ObjectMapper();

        assertThat(rows.get(0).getString(0)).isEqualTo("backfill");
        assertThat(rows.get(0).getInteger(1)).isZero();
        assertThat(rows.get(0).getBoolean(3)).isTrue();
        JsonNode backfill = json.readTree(rows.get(0).getString(2));
        assertThat(backfill.get("complete").asBoolean()).isTrue();
        assertThat(backfill.get("rows").asLong()).isEqualTo(TestData.USERS + TestData.DEVICES + TestData.TELEMETRY
                + TestData.ALERTS);
        assertThat(backfill.get("tables").get(2).get("table").asText()).isEqualTo("telemetry");
        assertThat(backfill.get("tables").get(2).get("rows").asLong()).isEqualTo(TestData.TELEMETRY);

        assertThat(rows.get(1).getString(0)).isEqualTo("verify");
        assertThat(rows.get(1).getInteger(1)).isEqualTo(1);
        JsonNode verify = json.readTree(rows.get(1).getString(2));
        assertThat(verify.get("equal").asBoolean()).isFalse();
        assertThat(verify.get("differences").asInt()).isEqualTo(2);
        assertThat(verify.get("tables").get(0).get("table").asText()).isEqualTo("users");
        assertThat(verify.get("tables").get(0).get("differences").asInt()).isEqualTo(1);
        assertThat(verify.get("tables").get(3).get("v2Rows").asLong()).isEqualTo(TestData.ALERTS - 1);
        assertThat(verify.get("firstDifferences")).hasSize(2);
        assertThat(verify.get("firstDifferences").toString()).contains("\"u0003\"", "\"different\"", "\"a0007\"",
                "\"missing\"");
    }

    @Test
    void shouldScopeAVerifyToOneTenantsV2RowsAndRecordTheTenant() throws Exception {
        Endpoint record = TestDatabases.routerDatabase(true);
        assertThat(run(new StringWriter(), "backfill", record, "--progress", "none", "--tenant", "acme")).isZero();
        assertThat(TestDatabases.count(t.dbs.target(), "SELECT count(*) FROM users WHERE tenant_id = 'acme'"))
                .isEqualTo(TestData.USERS);
        // another tenant's row in V2 (multi-tenant): not V1's, so not compared when the verify is about acme
        t.v2("INSERT INTO tenants (id, name, slug, plan, status) VALUES ('other', 'Other', 'other', 'ENTERPRISE', 'ACTIVE');"
                + " INSERT INTO users (id, tenant_id, email, name) VALUES ('o-1', 'other', 'o@example.com', 'O')");

        assertThat(run(new StringWriter(), "verify", record, "--tenant", "acme")).isZero();
        assertThat(run(new StringWriter(), "verify", record, "--var", "tenant=acme")).as("every V2 row").isEqualTo(1);
        StringWriter err = new StringWriter();
        assertThat(run(err, "verify", record, "--tenant", "acme", "--var", "tenant=beta")).isEqualTo(2);
        assertThat(err.toString()).contains("--tenant acme and --var tenant=beta disagree");

        List<String> recorded = new ArrayList<>();
        try (Databases r = Databases.open(record, record, null, 1)) {
            Await.result(r.target().query("SELECT job, coalesce(tenant, '-'), exit_code, summary->>'tenant'"
                    + " FROM cutover_migration_runs ORDER BY id").execute())
                    .forEach(row -> recorded.add(row.getString(0) + " " + row.getString(1) + " " + row.getInteger(2)
                            + " " + row.getString(3)));
        }
        assertThat(recorded).containsExactly("backfill acme 0 acme", "verify acme 0 acme", "verify - 1 null");
    }

    @Test
    void shouldMoveTheTenantToBackfilledWhenItsBackfillCompletesAndNeverBack() throws Exception {
        Endpoint record = TestDatabases.routerDatabase(true);
        StringWriter out = new StringWriter();
        assertThat(run(out, "backfill", record, "--progress", "none", "--tenant", "acme", "--max-batches", "1")).isZero();
        assertThat(states(record)).as("an incomplete run moves nothing").isEmpty();

        assertThat(run(out, "backfill", record, "--progress", "none", "--tenant", "acme")).isZero();
        assertThat(states(record)).containsExactly("acme backfilled backfill");
        try (Databases r = Databases.open(record, record, null, 1)) {
            Await.result(r.target().query("UPDATE cutover_tenant_state SET state = 'verified' WHERE tenant = 'acme'").execute());
        }
        assertThat(run(new StringWriter(), "backfill", record, "--progress", "none", "--tenant", "acme")).isZero();
        assertThat(states(record)).as("a tenant further on stays there").containsExactly("acme verified backfill");
    }

    private static List<String> states(Endpoint record) {
        List<String> states = new ArrayList<>();
        try (Databases r = Databases.open(record, record, null, 1)) {
            Await.result(r.target().query("SELECT tenant, state, changed_by FROM cutover_tenant_state ORDER BY tenant").execute())
                    .forEach(row -> states.add(row.getString(0) + " " + row.getString(1) + " " + row.getString(2)));
        }
        return states;
    }

    @Test
    void shouldRecordAFailedRunWithItsMessage() {
        Endpoint record = TestDatabases.routerDatabase(true);
        t.v2("ALTER TABLE telemetry DROP COLUMN quality");

        assertThat(run(new StringWriter(), "verify", record)).isEqualTo(2);

        List<Row> rows = runs(record);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getInteger(1)).isEqualTo(2);
        assertThat(rows.get(0).getString(2)).contains("\"error\"", "quality");
    }

    @Test
    void shouldRefuseToRunWhenTheRecordDatabaseHasNoRunsTable() {
        Endpoint record = TestDatabases.routerDatabase(false);
        StringWriter err = new StringWriter();

        assertThat(run(err, "verify", record)).isEqualTo(2);

        assertThat(err.toString()).contains("has no table cutover_migration_runs", "router");
    }
}
