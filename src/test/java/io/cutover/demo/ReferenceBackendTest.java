package io.cutover.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both reference backends over real HTTP and their real PostgreSQL databases; one body per shared behaviour. */
@QuarkusTest
@TestProfile(ReferenceBackendsProfile.class)
class ReferenceBackendTest {

    static final String TENANT = "tenant-a";

    @Inject
    DemoBackends backends;

    @Inject
    @ReactiveDataSource("ref-v1")
    Pool v1Db;

    @Inject
    @ReactiveDataSource("ref-v2")
    Pool v2Db;

    private Flavor flavor;

    /** The router's own database (the outbox): another class of this profile dual-wrote through it. */
    @Inject
    io.vertx.sqlclient.Pool routerDb;

    @BeforeEach
    void emptyDatabases() {
        emptyDatabases(routerDb, v1Db, v2Db);
    }

    /**
     * Empty reference databases, and nothing on its way into them: the copies of an earlier test's writes through the
     * router (this profile dual-writes) land first, else one landing later puts its rows (a V2 tenant) into this test's.
     */
    static void emptyDatabases(io.vertx.sqlclient.Pool routerDb, Pool v1Db, Pool v2Db) {
        await().atMost(Duration.ofSeconds(15)).until(() -> routerDb.query("SELECT count(*) FROM cutover_outbox WHERE state IN ('unconfirmed','pending')")
                .execute().toCompletionStage().toCompletableFuture().join().iterator().next().getLong(0) == 0);
        routerDb.query("TRUNCATE cutover_outbox, cutover_outbox_queue").execute().toCompletionStage().toCompletableFuture().join();
        v1Db.query("TRUNCATE device_data, alerts, devices, users, cutover_ref_idempotency").execute().await().atMost(Duration.ofSeconds(10));
        v2Db.query("TRUNCATE telemetry, alerts, devices, device_templates, users, tenants, cutover_ref_idempotency").execute()
                .await().atMost(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldCreateDeviceWithClientSuppliedIdAndStoreItInTheReferenceSchema(Flavor flavor) {
        use(flavor);

        Response created = api().body(device("dev-1", "Boiler")).post("/api/devices");
        created.then().statusCode(201).contentType(ContentType.JSON)
                .body("id", equalTo("dev-1"))
                .body("name", equalTo("Boiler"))
                .body("type", equalTo("THERMOSTAT"))
                .body("status", equalTo("OFFLINE"))
                .body("config.setpoint", equalTo(21))
                .body("ownerId", nullValue());
        Instant createdAt = Instant.parse(created.path("createdAt"));
        assertThat(created.<String>path("updatedAt")).isEqualTo(created.path("createdAt"));
        assertThat(createdAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

        api().get("/api/devices/dev-1").then().statusCode(200).body("name", equalTo("Boiler"))
                .body("createdAt", equalTo(created.path("createdAt")));
        if (flavor == Flavor.V1) {
            assertThat(rows(v1Db, "SELECT name || '/' || type || '/' || (config->>'setpoint') FROM devices WHERE id = 'dev-1'"))
                    .containsExactly("Boiler/THERMOSTAT/21");
        } else {
            assertThat(rows(v2Db, "SELECT d.tenant_id || '/' || t.device_type || '/' || t.id || '/' || (d.attributes->>'setpoint')"
                    + " || '/' || (d.metadata = '{\"migratedFrom\": \"v1\", \"originalType\": \"THERMOSTAT\"}'::jsonb)"
                    + " FROM devices d JOIN device_templates t ON t.id = d.template_id WHERE d.id = 'dev-1'"))
                    .containsExactly(TENANT + "/THERMOSTAT/" + TENANT + ":THERMOSTAT/21/true");
            assertThat(rows(v2Db, "SELECT id || '/' || slug || '/' || status FROM tenants")).containsExactly(TENANT + "/" + TENANT + "/ACTIVE");
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldGenerateIdWhenCreateHasNone(Flavor flavor) {
        use(flavor);

        String id = api().body(new JsonObject().put("name", "Pump").put("type", "PUMP").encode())
                .post("/api/devices")
                .then().statusCode(201).body("id", startsWith("dev-"))
                .extract().path("id");

        api().get("/api/devices/" + id).then().statusCode(200).body("name", equalTo("Pump"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldAnswerConflictWhenCreatedIdExists(Flavor flavor) {
        use(flavor);
        createDevice("dev-1", "Boiler");

        api().body(device("dev-1", "Other")).post("/api/devices")
                .then().statusCode(409).body("error", equalTo("device dev-1 already exists"));
        api().get("/api/devices/dev-1").then().body("name", equalTo("Boiler"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldAnswer404ForAbsentRowsAndUnknownPaths(Flavor flavor) {
        use(flavor);

        api().get("/api/devices/nope").then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("device nope not found"));
        api().get("/api/users/nope").then().statusCode(404).body("error", equalTo("user nope not found"));
        api().get("/api/alerts/nope").then().statusCode(404);
        api().get("/api/nothing-here").then().statusCode(404).contentType(ContentType.JSON).body("error", not(nullValue()));
        api().body(device("nope", "x")).put("/api/devices/nope").then().statusCode(404);
        api().delete("/api/devices/nope").then().statusCode(404);
        api().get("/api/devices/nope/telemetry").then().statusCode(404);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldReplaceOnPutAndMergeOnPatchKeepingCreatedAt(Flavor flavor) {
        use(flavor);
        String createdAt = api().body(device("dev-1", "Boiler")).post("/api/devices").then().statusCode(201).extract().path("createdAt");

        api().body(new JsonObject().put("name", "Boiler 2").put("type", "HEATER").encode())
                .put("/api/devices/dev-1")
                .then().statusCode(200)
                .body("name", equalTo("Boiler 2"))
                .body("type", equalTo("HEATER"))
                .body("status", equalTo("OFFLINE"))
                .body("createdAt", equalTo(createdAt));
        api().body(new JsonObject().put("status", "ONLINE").encode()).patch("/api/devices/dev-1")
                .then().statusCode(200)
                .body("name", equalTo("Boiler 2"))
                .body("type", equalTo("HEATER"))
                .body("status", equalTo("ONLINE"));
        api().get("/api/devices/dev-1").then().body("status", equalTo("ONLINE")).body("type", equalTo("HEATER"));

        api().body(new JsonObject().putNull("name").encode()).patch("/api/devices/dev-1")
                .then().statusCode(400).body("error", equalTo("field name must not be null")).body("field", equalTo("name"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldCheckReferencesByField(Flavor flavor) {
        use(flavor);

        api().body(new JsonObject().put("id", "dev-1").put("name", "n").put("type", "T").put("ownerId", "usr-x").encode())
                .post("/api/devices")
                .then().statusCode(400).body("field", equalTo("ownerId")).body("error", equalTo("field ownerId: no user usr-x"));
        api().body(new JsonObject().put("id", "usr-1").put("email", "a@example.com").encode()).post("/api/users").then().statusCode(201);
        api().body(new JsonObject().put("id", "dev-1").put("name", "n").put("type", "T").put("ownerId", "usr-1").encode())
                .post("/api/devices")
                .then().statusCode(201).body("ownerId", equalTo("usr-1"));
        api().delete("/api/users/usr-1").then().statusCode(409).body("error", startsWith("still referenced"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldDeleteDeviceAndItsTelemetry(Flavor flavor) {
        use(flavor);
        createDevice("dev-1", "Boiler");
        postReading("dev-1", "2024-05-01T09:00:00Z", 1);

        api().delete("/api/devices/dev-1").then().statusCode(204);

        api().get("/api/devices/dev-1").then().statusCode(404);
        api().get("/api/devices/dev-1/telemetry").then().statusCode(404);
        assertThat(rows(db(), "SELECT count(*)::text FROM " + (flavor == Flavor.V1 ? "device_data" : "telemetry"))).containsExactly("0");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldListTelemetryInTimeOrderWithinWindowAndKeepClientIds(Flavor flavor) {
        use(flavor);
        createDevice("dev-1", "Boiler");
        long generated = postReading("dev-1", "2024-05-01T09:02:00Z", 3);
        postReading("dev-1", "2024-05-01T09:00:00+00:00", 1);
        api().body(new JsonObject().put("id", 500).put("timestamp", "2024-05-01T11:01:00+02:00")
                        .put("data", new JsonObject().put("t", 2)).put("protocol", "MQTT").encode())
                .post("/api/devices/dev-1/telemetry")
                .then().statusCode(201)
                .body("id", equalTo(500))
                .body("deviceId", equalTo("dev-1"))
                .body("timestamp", equalTo("2024-05-01T09:01:00Z"))
                .body("protocol", equalTo("MQTT"));

        List<Integer> all = api().get("/api/devices/dev-1/telemetry").then().statusCode(200).extract().path("data.t");
        assertThat(all).containsExactly(1, 2, 3);
        List<Integer> window = api().queryParam("from", "2024-05-01T09:01:00Z").queryParam("to", "2024-05-01T09:02:00Z")
                .get("/api/devices/dev-1/telemetry").then().statusCode(200).extract().path("data.t");
        assertThat(window).containsExactly(2);
        List<Integer> limited = api().queryParam("limit", 2).get("/api/devices/dev-1/telemetry")
                .then().statusCode(200).extract().path("data.t");
        assertThat(limited).containsExactly(1, 2);

        if (flavor == Flavor.V1) {
            assertThat(rows(v1Db, "SELECT id::text FROM device_data ORDER BY \"timestamp\"")).contains("500");
        } else {
            // V2 generates its own ids far from V1's BIGSERIAL, and fills source and quality as the mapping does
            assertThat(generated).isGreaterThanOrEqualTo(V2Store.FIRST_GENERATED_READING_ID);
            assertThat(rows(v2Db, "SELECT id || '/' || source || '/' || quality || '/' || tenant_id FROM telemetry WHERE id = 500"))
                    .containsExactly("500/migrated/GOOD/" + TENANT);
        }
        api().body(new JsonObject().put("id", 500).put("timestamp", "2024-05-01T09:00:00Z").put("data", new JsonObject()).encode())
                .post("/api/devices/dev-1/telemetry").then().statusCode(409);
        api().queryParam("from", "yesterday").get("/api/devices/dev-1/telemetry")
                .then().statusCode(400).body("field", equalTo("from"));
        api().body(new JsonObject().put("timestamp", "2024-05-01T09:00:00Z").encode()).post("/api/devices/dev-1/telemetry")
                .then().statusCode(400).body("error", equalTo("missing required field: data")).body("field", equalTo("data"));
        api().body(new JsonObject().put("id", -1).put("timestamp", "2024-05-01T09:00:00Z").put("data", new JsonObject()).encode())
                .post("/api/devices/dev-1/telemetry").then().statusCode(400).body("field", equalTo("id"));
        api().body(new JsonObject().put("timestamp", "2024-05-01T09:00:00Z").put("data", new JsonObject()).encode())
                .post("/api/devices/nope/telemetry").then().statusCode(404);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldPageByIdWithKeyset(Flavor flavor) {
        use(flavor);
        for (String id : List.of("dev-c", "dev-a", "dev-e", "dev-b", "dev-d")) {
            createDevice(id, id);
        }

        List<String> first = api().queryParam("limit", 2).get("/api/devices").then().statusCode(200).extract().path("id");
        List<String> second = api().queryParam("limit", 2).queryParam("after", "dev-b").get("/api/devices")
                .then().statusCode(200).extract().path("id");
        List<String> last = api().queryParam("limit", 2).queryParam("after", "dev-d").get("/api/devices")
                .then().statusCode(200).extract().path("id");
        List<String> defaults = api().get("/api/devices").then().statusCode(200).extract().path("id");

        assertThat(first).containsExactly("dev-a", "dev-b");
        assertThat(second).containsExactly("dev-c", "dev-d");
        assertThat(last).containsExactly("dev-e");
        assertThat(defaults).hasSize(5);
        api().queryParam("limit", 0).get("/api/devices").then().statusCode(400).body("field", equalTo("limit"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldReturnFirstAnswerForRepeatedIdempotencyKeyAndWriteOnce(Flavor flavor) {
        use(flavor);
        String body = new JsonObject().put("name", "Pump").put("type", "PUMP").encode();

        Response first = api().header("Idempotency-Key", "key-1").body(body).post("/api/devices");
        Response second = api().header("Idempotency-Key", "key-1").body(body).post("/api/devices");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.asString()).isEqualTo(first.asString());
        assertThat(rows(db(), "SELECT count(*)::text FROM devices")).containsExactly("1");

        long reading = postReading(first.path("id"), "2024-05-01T09:00:00Z", 1, "r-key");
        assertThat(postReading(first.path("id"), "2024-05-01T09:00:00Z", 1, "r-key")).isEqualTo(reading);
        assertThat(rows(db(), "SELECT count(*)::text FROM " + (flavor == Flavor.V1 ? "device_data" : "telemetry"))).containsExactly("1");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldDeleteOnceForRepeatedIdempotencyKeyAndWriteAgainForNewKey(Flavor flavor) {
        use(flavor);
        createDevice("dev-1", "Boiler");

        api().header("Idempotency-Key", "del-1").delete("/api/devices/dev-1").then().statusCode(204);
        api().header("Idempotency-Key", "del-1").delete("/api/devices/dev-1").then().statusCode(204);
        api().header("Idempotency-Key", "del-2").delete("/api/devices/dev-1").then().statusCode(404);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldWriteOnceForConcurrentRequestsWithSameIdempotencyKey(Flavor flavor) throws Exception {
        use(flavor);
        String body = new JsonObject().put("name", "Pump").put("type", "PUMP").encode();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> api().header("Idempotency-Key", "same").body(body).post("/api/devices").asString());
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> answer : pool.invokeAll(calls)) {
                answers.add(answer.get());
            }
            assertThat(answers).containsOnly(answers.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows(db(), "SELECT count(*)::text FROM devices")).containsExactly("1");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldRejectBadInputWith400NamingTheField(Flavor flavor) {
        use(flavor);

        api().body("{\"name\": ").post("/api/devices")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("request body is not a valid JSON object"));
        api().body("[1, 2]").post("/api/devices").then().statusCode(400);
        api().post("/api/devices").then().statusCode(400);
        api().body(new JsonObject().put("name", "Pump").encode()).post("/api/devices")
                .then().statusCode(400).body("error", equalTo("missing required field: type")).body("field", equalTo("type"));
        api().body(new JsonObject().put("name", "Pump").put("type", "PUMP").put("config", "x").encode()).post("/api/devices")
                .then().statusCode(400).body("error", equalTo("field config must be a JSON object")).body("field", equalTo("config"));
        api().body(new JsonObject().put("id", 7).put("name", "Pump").put("type", "PUMP").encode()).post("/api/devices")
                .then().statusCode(400).body("field", equalTo("id"));
        api().body(new JsonObject().put("email", "a@example.com").put("role", 3).encode()).post("/api/users")
                .then().statusCode(400).body("field", equalTo("role"));
        assertThat(rows(db(), "SELECT count(*)::text FROM devices")).containsExactly("0");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldServeUsersAndAlerts(Flavor flavor) {
        use(flavor);
        createDevice("dev-1", "Boiler");

        api().body(new JsonObject().put("id", "usr-1").put("email", "a@example.com").encode()).post("/api/users")
                .then().statusCode(201).body("role", equalTo("USER")).body("name", nullValue());
        api().body(new JsonObject().put("id", "usr-2").put("email", "a@example.com").encode()).post("/api/users")
                .then().statusCode(409).body("error", startsWith("conflict"));
        api().body(new JsonObject().put("email", "b@example.com").put("name", "Bea").put("role", "ADMIN").encode())
                .put("/api/users/usr-1")
                .then().statusCode(200).body("email", equalTo("b@example.com")).body("role", equalTo("ADMIN"));
        api().get("/api/users").then().statusCode(200).body("size()", equalTo(1));
        api().delete("/api/users/usr-1").then().statusCode(204);
        api().get("/api/users/usr-1").then().statusCode(404);

        api().body(new JsonObject().put("id", "alr-1").put("deviceId", "dev-1").put("severity", "HIGH").put("message", "too hot").encode())
                .post("/api/alerts")
                .then().statusCode(201)
                .body("acknowledged", equalTo(false))
                .body("$", not(hasKey("updatedAt")));
        api().body(new JsonObject().put("acknowledged", true).encode()).patch("/api/alerts/alr-1")
                .then().statusCode(200).body("acknowledged", equalTo(true)).body("message", equalTo("too hot"));
        api().get("/api/alerts/alr-1").then().statusCode(200).body("acknowledged", equalTo(true));
        api().get("/api/alerts").then().statusCode(200).body("id", equalTo(List.of("alr-1")));
        api().delete("/api/alerts/alr-1").then().statusCode(405);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldReportHealthWithoutTenant(Flavor flavor) {
        use(flavor);

        given().port(backends.port(flavor).orElseThrow()).get("/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldRejectV2RequestWithoutTenantHeader() {
        use(Flavor.V2);

        given().port(port()).get("/api/devices")
                .then().statusCode(400).body("error", equalTo("missing tenant header X-Tenant-Id")).body("field", equalTo("X-Tenant-Id"));
        given().port(port()).contentType(ContentType.JSON).body(device("dev-1", "Boiler")).post("/api/devices").then().statusCode(400);
        assertThat(rows(v2Db, "SELECT count(*)::text FROM devices")).containsExactly("0");
    }

    @Test
    void shouldIsolateTenantsOnV2() {
        use(Flavor.V2);
        createDevice("dev-1", "Boiler");
        postReading("dev-1", "2024-05-01T09:00:00Z", 1);

        api().get("/api/devices/dev-1").then().statusCode(200).body("tenantId", equalTo(TENANT));
        api("tenant-b").get("/api/devices/dev-1").then().statusCode(404);
        api("tenant-b").get("/api/devices/dev-1/telemetry").then().statusCode(404);
        api("tenant-b").get("/api/devices").then().statusCode(200).body("size()", equalTo(0));
        api("tenant-b").body(device("dev-1", "Other")).patch("/api/devices/dev-1").then().statusCode(404);
        api("tenant-b").delete("/api/devices/dev-1").then().statusCode(404);
        // ids are global keys of the V2 schema: another tenant cannot take one
        api("tenant-b").body(device("dev-1", "Other")).post("/api/devices").then().statusCode(409);
        api("tenant-b").body(device("dev-2", "Other")).post("/api/devices").then().statusCode(201).body("tenantId", equalTo("tenant-b"));

        api().get("/api/devices/dev-1").then().body("name", equalTo("Boiler"));
        assertThat(rows(v2Db, "SELECT id FROM device_templates ORDER BY id")).containsExactly("tenant-a:THERMOSTAT", "tenant-b:THERMOSTAT");
    }

    @Test
    void shouldScopeIdempotencyKeysPerTenantOnV2() {
        use(Flavor.V2);

        api().header("Idempotency-Key", "k").body(device("dev-1", "A")).post("/api/devices").then().statusCode(201);
        api("tenant-b").header("Idempotency-Key", "k").body(device("dev-2", "B")).post("/api/devices")
                .then().statusCode(201).body("id", equalTo("dev-2"));

        assertThat(rows(v2Db, "SELECT count(*)::text FROM devices")).containsExactly("2");
    }

    @Test
    void shouldOmitTenantIdOnV1() {
        use(Flavor.V1);

        api().body(device("dev-1", "Boiler")).post("/api/devices").then().statusCode(201).body("$", not(hasKey("tenantId")));
    }

    @Test
    void shouldTellTheDatabasesOfBothBackends() {
        assertThat(backends.database(Flavor.V1).url()).endsWith("/cutover_ref_v1").startsWith("postgresql://");
        assertThat(backends.database(Flavor.V2).jdbcUrl()).endsWith("/cutover_ref_v2").startsWith("jdbc:postgresql://");
        assertThat(backends.url(Flavor.V1)).hasValue(ConfigProvider.getConfig().getValue("cutover.backends.v1.url", String.class));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldImportTheCreationAndUpdateTimesABodyCarriesAsTheRouterCarriesThePrimarys(Flavor flavor) {
        use(flavor);
        String created = "2025-03-04T05:06:07.123456Z";
        api().body(new JsonObject(device("dev-imported", "Boiler")).put("createdAt", created).encode()).post("/api/devices")
                .then().statusCode(201).body("createdAt", equalTo(created)).body("updatedAt", equalTo(created));
        String updated = "2025-03-05T00:00:00Z";
        api().body(new JsonObject(device("dev-imported", "Boiler 2")).put("updatedAt", updated).encode()).put("/api/devices/dev-imported")
                .then().statusCode(200).body("createdAt", equalTo(created)).body("updatedAt", equalTo(updated));
        api().get("/api/devices/dev-imported").then().statusCode(200)
                .body("createdAt", equalTo(created)).body("updatedAt", equalTo(updated));

        // a time that is not an instant is refused by name, and nothing is written
        api().body(new JsonObject(device("dev-bad-time", "x")).put("createdAt", "yesterday").encode()).post("/api/devices")
                .then().statusCode(400).body("field", equalTo("createdAt"));
        api().get("/api/devices/dev-bad-time").then().statusCode(404);
    }

    private void use(Flavor flavor) {
        this.flavor = flavor;
    }

    private int port() {
        return backends.port(flavor).orElseThrow();
    }

    private Pool db() {
        return flavor == Flavor.V1 ? v1Db : v2Db;
    }

    private RequestSpecification api() {
        return api(TENANT);
    }

    private RequestSpecification api(String tenant) {
        RequestSpecification spec = given().baseUri("http://127.0.0.1").port(port()).contentType(ContentType.JSON);
        return flavor == Flavor.V2 ? spec.header(DemoBackends.DEFAULT_TENANT_HEADER, tenant) : spec;
    }

    private void createDevice(String id, String name) {
        api().body(device(id, name)).post("/api/devices").then().statusCode(201);
    }

    private long postReading(String deviceId, String timestamp, int value) {
        return postReading(deviceId, timestamp, value, null);
    }

    private long postReading(String deviceId, String timestamp, int value, String idempotencyKey) {
        RequestSpecification spec = api();
        if (idempotencyKey != null) {
            spec.header("Idempotency-Key", idempotencyKey);
        }
        Response r = spec.body(new JsonObject().put("timestamp", timestamp).put("data", new JsonObject().put("t", value)).encode())
                .post("/api/devices/" + deviceId + "/telemetry");
        r.then().statusCode(201);
        return r.<Number>path("id").longValue();
    }

    static List<String> rows(Pool pool, String sql) {
        List<String> result = new ArrayList<>();
        for (Row row : pool.query(sql).execute().await().atMost(Duration.ofSeconds(10))) {
            result.add(row.getValue(0) == null ? null : String.valueOf(row.getValue(0)));
        }
        return result;
    }

    private static String device(String id, String name) {
        return new JsonObject().put("id", id).put("name", name).put("type", "THERMOSTAT")
                .put("config", new JsonObject().put("setpoint", 21)).encode();
    }
}
