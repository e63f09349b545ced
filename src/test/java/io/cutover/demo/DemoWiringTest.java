package io.cutover.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.migration.MigrationCli;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dev mode's wiring: the router in front of the reference backends, writes dual-written through
 * the outbox into the other backend's database, and the project's verify run between the two.
 */
@QuarkusTest
@TestProfile(ReferenceBackendsProfile.class)
class DemoWiringTest {

    @Inject
    DemoBackends backends;

    @Inject
    @ReactiveDataSource("ref-v1")
    Pool v1Db;

    @Inject
    @ReactiveDataSource("ref-v2")
    Pool v2Db;

    /** The router's own database (the outbox). */
    @Inject
    io.vertx.sqlclient.Pool routerDb;

    @BeforeEach
    void emptyDatabases() {
        // the previous test's secondary writes land first, and no intent of another test class is left
        ReferenceBackendTest.emptyDatabases(routerDb, v1Db, v2Db);
    }

    @Test
    void shouldDualWriteThroughTheRouterIntoV2sDatabase() {
        String id = given().contentType(ContentType.JSON)
                .body(new JsonObject().put("name", "sensor-1").put("type", "thermo").encode())
                .post("/api/devices")
                .then().statusCode(201).header("X-Cutover-Backend", "v1")
                .extract().path("id");
        long reading = given().contentType(ContentType.JSON)
                .body(new JsonObject().put("timestamp", "2024-05-01T09:00:00Z").put("data", new JsonObject().put("t", 1)).encode())
                .post("/api/devices/" + id + "/telemetry")
                .then().statusCode(201).extract().<Number>path("id").longValue();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ReferenceBackendTest.rows(v2Db,
                "SELECT d.id || '/' || d.tenant_id || '/' || t.device_type || '/' || r.id || '/' || r.source FROM devices d"
                        + " JOIN device_templates t ON t.id = d.template_id JOIN telemetry r ON r.device_id = d.id"))
                .containsExactly(id + "/default_tenant_id/thermo/" + reading + "/migrated"));
    }

    @Test
    void shouldDualWriteAPinnedTenantsWritesFromV2IntoV1sDatabase() {
        given().contentType(ContentType.JSON).header("X-Tenant-Id", "on-v2")
                .body(new JsonObject().put("id", "dev-pinned").put("name", "pump").put("type", "PUMP").encode())
                .post("/api/devices")
                .then().statusCode(201).header("X-Cutover-Backend", "v2");
        long reading = given().contentType(ContentType.JSON).header("X-Tenant-Id", "on-v2")
                .body(new JsonObject().put("timestamp", "2024-05-01T09:00:00Z").put("data", new JsonObject().put("t", 1)).encode())
                .post("/api/devices/dev-pinned/telemetry")
                .then().statusCode(201).header("X-Cutover-Backend", "v2").extract().<Number>path("id").longValue();

        assertThat(reading).isGreaterThanOrEqualTo(V2Store.FIRST_GENERATED_READING_ID);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(ReferenceBackendTest.rows(v1Db,
                "SELECT d.id || '/' || d.type || '/' || r.id FROM devices d JOIN device_data r ON r.device_id = d.id"))
                .containsExactly("dev-pinned/PUMP/" + reading));
    }

    @Test
    void shouldFindV1AndV2EqualWithTheDefaultMappingAfterDualWritesBecauseThePrimarysIdsAndTimesAreCarried() {
        // creates with and without an id, a replace, a merge, readings, and a delete, all on V1 first
        String made = given().contentType(ContentType.JSON).body(new JsonObject().put("name", "made").put("type", "T").encode())
                .post("/api/devices").then().statusCode(201).extract().path("id");
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON)
                    .body(new JsonObject().put("id", "dev-" + i).put("name", "n" + i).put("type", "T").encode())
                    .post("/api/devices").then().statusCode(201);
            given().contentType(ContentType.JSON)
                    .body(new JsonObject().put("timestamp", "2024-05-01T09:00:0" + i + "Z").put("data", new JsonObject().put("t", i)).encode())
                    .post("/api/devices/dev-" + i + "/telemetry").then().statusCode(201);
        }
        given().contentType(ContentType.JSON).body(new JsonObject().put("name", "renamed").put("type", "T2").put("status", "ONLINE").encode())
                .put("/api/devices/dev-0").then().statusCode(200);
        given().contentType(ContentType.JSON).body(new JsonObject().put("config", new JsonObject().put("k", 1)).encode())
                .patch("/api/devices/" + made).then().statusCode(200);
        given().delete("/api/devices/dev-2").then().statusCode(204);
        await().atMost(Duration.ofSeconds(15)).until(() -> routerDb.query(
                        "SELECT count(*) FROM cutover_outbox WHERE state IN ('unconfirmed','pending')")
                .execute().toCompletionStage().toCompletableFuture().join().iterator().next().getLong(0) == 0);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ReferenceDatabase v1 = backends.database(Flavor.V1);
        ReferenceDatabase v2 = backends.database(Flavor.V2);
        int exit = MigrationCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "verify", "--format", "json",
                "--v1-url", v1.url(), "--v1-user", v1.username(), "--v2-url", v2.url(), "--v2-user", v2.username());

        // The default mapping, created_at and updated_at included: V2 took V1's times with each write. (Its
        // tenant_id is default_tenant_id on both sides here, as every write came in the default tenant.)
        JsonObject report = new JsonObject(out.toString());
        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(report.getJsonArray("tables").stream().map(JsonObject.class::cast)
                .filter(t -> t.getBoolean("equal")).map(t -> t.getString("table")).toList())
                .containsExactlyInAnyOrder("users", "devices", "telemetry", "alerts");
        assertThat(ReferenceBackendTest.rows(v2Db, "SELECT count(*)::text FROM devices")).containsExactly("3");
    }
}
