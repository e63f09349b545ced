package io.cutover.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.cutover.database.RouterDatabase;
import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminApiTest extends ProxyTestBase {

    private static final String TOKEN = "test-admin-token";     // application.yml, %test

    @Inject
    RouterDatabase database;

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void shouldRefuseTheAdminApiWithoutAToken() {
        given().get("/admin/status").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("missing bearer token"));
        given().contentType("application/json").body("{\"reason\":\"x\"}").post("/admin/rollback").then().statusCode(401);
        given().delete("/admin/rollback").then().statusCode(401);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldRefuseTheAdminApiWithAWrongToken() {
        given().header("Authorization", "Bearer " + TOKEN + "x").get("/admin/status").then().statusCode(401)
                .body("error", equalTo("wrong bearer token"));
        given().header("Authorization", "Bearer " + TOKEN + "x").contentType("application/json")
                .body("{\"reason\":\"x\"}").post("/admin/rollback").then().statusCode(401);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldAnswerTheStatusWithTheRightToken() {
        applyPolicy("v2Weight: 25\ntenants: {tenant-early: v2}\n");
        admin().get("/admin/status").then().statusCode(200)
                .body("effectiveV2Weight", equalTo(25.0f))
                .body("policy.v2Weight", equalTo(25.0f))
                .body("policy.pins.tenant-early", equalTo("v2"))
                .body("policy.version", notNullValue())
                .body("policy.source", containsString("policy.yaml"))
                .body("latch.state", equalTo("armed"))
                .body("breakers.v1", equalTo("closed"))
                .body("breakers.v2", equalTo("closed"))
                .body("guard.window.v2.requests", notNullValue())
                .body("outbox.available", equalTo(true))
                .body("outbox.database", equalTo("up"))
                .body("outbox.pending", equalTo(0));
    }

    @Test
    void shouldShowTheLastBackfillAndVerifyRunsRecordedByTheJobs() throws Exception {
        sql("DELETE FROM cutover_migration_runs");
        admin().get("/admin/status").then().statusCode(200)
                .body("migration", notNullValue())
                .body("migration.backfill", nullValue())
                .body("migration.verify", nullValue())
                .body("migration.error", nullValue());
        try {
            sql("INSERT INTO cutover_migration_runs (job, started_at, finished_at, exit_code, summary) VALUES"
                    + " ('verify', '2026-11-20T10:00:00Z', '2026-11-20T10:00:05Z', 0, '{\"equal\": true}'),"
                    + " ('backfill', '2026-11-21T09:00:00Z', '2026-11-21T09:30:00Z', 0,"
                    + "  '{\"complete\": true, \"tables\": [{\"table\": \"telemetry\", \"rows\": 2000000}]}'),"
                    + " ('verify', '2026-11-21T10:00:00Z', '2026-11-21T10:00:11Z', 1, '{\"equal\": false,"
                    + "  \"differences\": 2, \"firstDifferences\": [{\"table\": \"alerts\", \"key\": \"a0007\","
                    + "  \"kind\": \"missing\"}]}')");

            admin().get("/admin/status").then().statusCode(200)
                    .body("migration.backfill.exitCode", equalTo(0))
                    .body("migration.backfill.finishedAt", equalTo("2026-11-21T09:30:00Z"))
                    .body("migration.backfill.summary.tables[0].rows", equalTo(2000000))
                    .body("migration.verify.exitCode", equalTo(1))
                    .body("migration.verify.startedAt", equalTo("2026-11-21T10:00:00Z"))
                    .body("migration.verify.summary.differences", equalTo(2))
                    .body("migration.verify.summary.firstDifferences[0].key", equalTo("a0007"));
        } finally {
            sql("DELETE FROM cutover_migration_runs");
        }
    }

    @Test
    void shouldShowEachShardsProgressRecordedByTheJobs() throws Exception {
        sql("DELETE FROM cutover_migration_shards");
        admin().get("/admin/status").then().statusCode(200).body("migration.shards.size()", equalTo(0));
        try {
            sql("INSERT INTO cutover_migration_shards (job, mapping, shard, shard_count, state, table_name, rows_done,"
                    + " rows_total, rows_per_second, eta_seconds, rejected, note, started_at, updated_at) VALUES"
                    + " ('backfill', 'default', 1, 4, 'paused', 'telemetry', 1200000, 5000000, 41000.5, 92, 3,"
                    + "  'throttle query 12.0 > 10.0', now() - interval '1 minute', now()),"
                    + " ('backfill', 'default', 0, 4, 'copying', 'telemetry', 1300000, 5000000, 42000, 88, 0, null,"
                    + "  now() - interval '1 minute', now()),"
                    + " ('backfill', 'old', 0, 1, 'done', 'alerts', 10, 10, 5, 0, 0, null, now() - interval '3 days',"
                    + "  now() - interval '2 days')");

            admin().get("/admin/status").then().statusCode(200)
                    .body("migration.shards.size()", equalTo(2))
                    .body("migration.shards[0].shard", equalTo(0))
                    .body("migration.shards[1].shard", equalTo(1))
                    .body("migration.shards[1].shards", equalTo(4))
                    .body("migration.shards[1].state", equalTo("paused"))
                    .body("migration.shards[1].table", equalTo("telemetry"))
                    .body("migration.shards[1].rowsDone", equalTo(1200000))
                    .body("migration.shards[1].rowsTotal", equalTo(5000000))
                    .body("migration.shards[1].rowsPerSecond", equalTo(41000.5f))
                    .body("migration.shards[1].etaSeconds", equalTo(92))
                    .body("migration.shards[1].rejected", equalTo(3))
                    .body("migration.shards[1].note", containsString("throttle query"));
        } finally {
            sql("DELETE FROM cutover_migration_shards");
        }
    }

    private void sql(String statement) throws Exception {
        database.pool().query(statement).execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldChangeRoutingWithPostThenDeleteOfTheRollback() {
        applyPolicy("v2Weight: 100\n");
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v2");

        admin().contentType("application/json").body("{}").post("/admin/rollback").then().statusCode(400)
                .body("error", containsString("reason is required"));
        admin().contentType("application/json").body("{\"reason\":\"V2 writes time out\"}").post("/admin/rollback")
                .then().statusCode(200)
                .body("changed", equalTo(true))
                .body("latch.state", equalTo("latched"))
                .body("latch.reason", equalTo("V2 writes time out"))
                .body("latch.by", equalTo("operator@127.0.0.1"));
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v1");
        admin().get("/admin/status").then().statusCode(200)
                .body("effectiveV2Weight", equalTo(0.0f))
                .body("latch.latched", equalTo(true))
                .body("latch.cause", equalTo("operator"))
                .body("latch.since", notNullValue());

        admin().contentType("application/json").body("{\"reason\":\"V2 fixed\"}").delete("/admin/rollback")
                .then().statusCode(200).body("changed", equalTo(true)).body("latch.state", equalTo("armed"));
        given().get("/api/devices").then().statusCode(200).header("X-Cutover-Backend", "v2");
        admin().delete("/admin/rollback").then().statusCode(200).body("changed", equalTo(false));
    }

    @Test
    void shouldDocumentTheAdminApiInOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/admin/rollback'.post", notNullValue())
                .body("paths.'/admin/rollback'.delete", notNullValue())
                .body("paths.'/admin/status'.get", notNullValue())
                .body("components.securitySchemes.adminToken.scheme", equalTo("bearer"));
    }
}
