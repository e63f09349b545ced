package io.cutover.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both flavours over real HTTP on an ephemeral port; one body per behaviour they share. */
class DemoBackendTest {

    private static final String TENANT = "tenant-a";
    private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private Vertx vertx;
    private DemoBackend backend;
    private int port;

    @BeforeEach
    void createVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldCreateDeviceWithClientSuppliedId(Flavor flavor) {
        start(flavor);

        api().body(device("dev-1", "Boiler")).post("/api/devices")
                .then().statusCode(201).contentType(ContentType.JSON)
                .body("id", equalTo("dev-1"))
                .body("name", equalTo("Boiler"))
                .body("type", equalTo("THERMOSTAT"))
                .body("status", equalTo("OFFLINE"))
                .body("config.setpoint", equalTo(21))
                .body("ownerId", nullValue())
                .body("createdAt", equalTo("2024-05-01T10:00:00Z"))
                .body("updatedAt", equalTo("2024-05-01T10:00:00Z"));

        api().get("/api/devices/dev-1").then().statusCode(200).body("name", equalTo("Boiler"));
        assertThat(backend.device("dev-1")).hasValueSatisfying(d -> assertThat(d.getString("name")).isEqualTo("Boiler"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldGenerateIdWhenCreateHasNone(Flavor flavor) {
        start(flavor);

        String id = api().body(new JsonObject().put("name", "Pump").put("type", "PUMP").encode())
                .post("/api/devices")
                .then().statusCode(201).body("id", startsWith("dev-"))
                .extract().path("id");

        api().get("/api/devices/" + id).then().statusCode(200).body("name", equalTo("Pump"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldAnswerConflictWhenCreatedIdExists(Flavor flavor) {
        start(flavor);
        createDevice("dev-1", "Boiler");

        api().body(device("dev-1", "Other")).post("/api/devices")
                .then().statusCode(409).body("error", equalTo("device dev-1 already exists"));
        assertThat(backend.device("dev-1").orElseThrow().getString("name")).isEqualTo("Boiler");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldAnswer404ForAbsentDeviceAndUnknownPath(Flavor flavor) {
        start(flavor);

        api().get("/api/devices/nope").then().statusCode(404).body("error", equalTo("device nope not found"));
        api().get("/api/nothing-here").then().statusCode(404).contentType(ContentType.JSON).body("error", not(nullValue()));
        api().body("{}").put("/api/devices/nope").then().statusCode(404);
        api().delete("/api/devices/nope").then().statusCode(404);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldReplaceDeviceOnPutKeepingCreatedAt(Flavor flavor) {
        start(flavor);
        createDevice("dev-1", "Boiler");
        clock.advance(Duration.ofMinutes(5));

        api().body(new JsonObject().put("name", "Boiler 2").put("type", "HEATER").encode())
                .put("/api/devices/dev-1")
                .then().statusCode(200)
                .body("name", equalTo("Boiler 2"))
                .body("type", equalTo("HEATER"))
                .body("config", nullValue())
                .body("status", equalTo("OFFLINE"))
                .body("createdAt", equalTo("2024-05-01T10:00:00Z"))
                .body("updatedAt", equalTo("2024-05-01T10:05:00Z"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldMergeDeviceOnPatch(Flavor flavor) {
        start(flavor);
        createDevice("dev-1", "Boiler");
        clock.advance(Duration.ofSeconds(30));

        api().body(new JsonObject().put("status", "ONLINE").put("ownerId", "usr-1").encode())
                .patch("/api/devices/dev-1")
                .then().statusCode(200)
                .body("name", equalTo("Boiler"))
                .body("config.setpoint", equalTo(21))
                .body("status", equalTo("ONLINE"))
                .body("ownerId", equalTo("usr-1"))
                .body("updatedAt", equalTo("2024-05-01T10:00:30Z"));

        api().body(new JsonObject().putNull("name").encode()).patch("/api/devices/dev-1")
                .then().statusCode(400).body("error", equalTo("field name must not be null"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldDeleteDeviceAndItsTelemetry(Flavor flavor) {
        start(flavor);
        createDevice("dev-1", "Boiler");
        postReading("dev-1", "2024-05-01T09:00:00Z", 1);

        api().delete("/api/devices/dev-1").then().statusCode(204);

        api().get("/api/devices/dev-1").then().statusCode(404);
        api().get("/api/devices/dev-1/telemetry").then().statusCode(404);
        assertThat(backend.device("dev-1")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldListTelemetryInTimeOrderWithinWindow(Flavor flavor) {
        start(flavor);
        createDevice("dev-1", "Boiler");
        postReading("dev-1", "2024-05-01T09:02:00Z", 3);
        postReading("dev-1", "2024-05-01T09:00:00+00:00", 1);
        api().body(new JsonObject().put("id", 500).put("timestamp", "2024-05-01T11:01:00+02:00")
                        .put("data", new JsonObject().put("t", 2)).put("protocol", "MQTT").encode())
                .post("/api/devices/dev-1/telemetry")
                .then().statusCode(201)
                .body("id", equalTo(500))
                .body("deviceId", equalTo("dev-1"))
                .body("timestamp", equalTo("2024-05-01T09:01:00Z"))
                .body("protocol", equalTo("MQTT"));

        List<Integer> all = api().get("/api/devices/dev-1/telemetry")
                .then().statusCode(200).extract().path("data.t");
        assertThat(all).containsExactly(1, 2, 3);

        List<Integer> window = api()
                .queryParam("from", "2024-05-01T09:01:00Z").queryParam("to", "2024-05-01T09:02:00Z")
                .get("/api/devices/dev-1/telemetry")
                .then().statusCode(200).extract().path("data.t");
        assertThat(window).containsExactly(2);

        List<Integer> limited = api().queryParam("limit", 2).get("/api/devices/dev-1/telemetry")
                .then().statusCode(200).extract().path("data.t");
        assertThat(limited).containsExactly(1, 2);

        api().queryParam("from", "yesterday").get("/api/devices/dev-1/telemetry").then().statusCode(400);
        api().body(new JsonObject().put("timestamp", "2024-05-01T09:00:00Z").encode())
                .post("/api/devices/dev-1/telemetry")
                .then().statusCode(400).body("error", equalTo("missing required field: data"));
        postReading("nope", "2024-05-01T09:00:00Z", 1, 404);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldPageDevicesByIdWithKeyset(Flavor flavor) {
        start(flavor);
        for (String id : List.of("dev-c", "dev-a", "dev-e", "dev-b", "dev-d")) {
            createDevice(id, id);
        }

        List<String> first = api().queryParam("limit", 2).get("/api/devices")
                .then().statusCode(200).extract().path("id");
        List<String> second = api().queryParam("limit", 2).queryParam("after", "dev-b").get("/api/devices")
                .then().statusCode(200).extract().path("id");
        List<String> last = api().queryParam("limit", 2).queryParam("after", "dev-d").get("/api/devices")
                .then().statusCode(200).extract().path("id");
        List<String> defaults = api().get("/api/devices").then().statusCode(200).extract().path("id");

        assertThat(first).containsExactly("dev-a", "dev-b");
        assertThat(second).containsExactly("dev-c", "dev-d");
        assertThat(last).containsExactly("dev-e");
        assertThat(defaults).hasSize(5);
        api().queryParam("limit", 0).get("/api/devices").then().statusCode(400);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldReturnFirstAnswerForRepeatedIdempotencyKey(Flavor flavor) {
        start(flavor);
        String body = new JsonObject().put("name", "Pump").put("type", "PUMP").encode();

        Response first = api().header("Idempotency-Key", "key-1").body(body).post("/api/devices");
        clock.advance(Duration.ofMinutes(1));
        Response second = api().header("Idempotency-Key", "key-1").body(body).post("/api/devices");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.asString()).isEqualTo(first.asString());
        assertThat(backend.writeCount()).isEqualTo(1);
        assertThat(backend.idempotencyKeys()).containsExactly("key-1", "key-1");
        assertThat(api().get("/api/devices").then().extract().<List<String>>path("id")).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldDeleteOnceForRepeatedIdempotencyKeyAndWriteAgainForNewKey(Flavor flavor) {
        start(flavor);
        createDevice("dev-1", "Boiler");

        api().header("Idempotency-Key", "del-1").delete("/api/devices/dev-1").then().statusCode(204);
        api().header("Idempotency-Key", "del-1").delete("/api/devices/dev-1").then().statusCode(204);
        api().header("Idempotency-Key", "del-2").delete("/api/devices/dev-1").then().statusCode(404);

        assertThat(backend.writeCount()).isEqualTo(2); // the create and one delete
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldWriteOnceForConcurrentRequestsWithSameIdempotencyKey(Flavor flavor) throws Exception {
        start(flavor);
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
        assertThat(backend.writeCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldRejectMalformedJsonWith400(Flavor flavor) {
        start(flavor);

        api().body("{\"name\": ").post("/api/devices")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("request body is not a valid JSON object"));
        api().body("[1, 2]").post("/api/devices").then().statusCode(400);
        api().post("/api/devices").then().statusCode(400);
        assertThat(backend.writeCount()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldRejectMissingOrMistypedFieldsWith400(Flavor flavor) {
        start(flavor);

        api().body(new JsonObject().put("name", "Pump").encode()).post("/api/devices")
                .then().statusCode(400).body("error", equalTo("missing required field: type"));
        api().body(new JsonObject().put("name", "Pump").put("type", "PUMP").put("config", "x").encode())
                .post("/api/devices")
                .then().statusCode(400).body("error", equalTo("field config must be a JSON object"));
        api().body(new JsonObject().put("id", 7).put("name", "Pump").put("type", "PUMP").encode())
                .post("/api/devices")
                .then().statusCode(400);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void shouldServeUsersAndAlerts(Flavor flavor) {
        start(flavor);

        api().body(new JsonObject().put("id", "usr-1").put("email", "a@example.com").encode()).post("/api/users")
                .then().statusCode(201).body("role", equalTo("USER")).body("name", nullValue());
        api().body(new JsonObject().put("email", "b@example.com").put("name", "Bea").put("role", "ADMIN").encode())
                .put("/api/users/usr-1")
                .then().statusCode(200).body("email", equalTo("b@example.com")).body("role", equalTo("ADMIN"));
        api().get("/api/users").then().statusCode(200).body("size()", equalTo(1));
        api().delete("/api/users/usr-1").then().statusCode(204);
        api().get("/api/users/usr-1").then().statusCode(404);

        api().body(new JsonObject().put("id", "alr-1").put("deviceId", "dev-1")
                        .put("severity", "HIGH").put("message", "too hot").encode())
                .post("/api/alerts")
                .then().statusCode(201)
                .body("acknowledged", equalTo(false))
                .body("createdAt", equalTo("2024-05-01T10:00:00Z"))
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
        start(flavor);

        given().port(port).get("/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldRejectV2RequestWithoutTenantHeader() {
        start(Flavor.V2);

        given().port(port).get("/api/devices")
                .then().statusCode(400).body("error", equalTo("missing tenant header X-Tenant-Id"));
        given().port(port).contentType(ContentType.JSON).body(device("dev-1", "Boiler")).post("/api/devices")
                .then().statusCode(400);
        assertThat(backend.writeCount()).isZero();
    }

    @Test
    void shouldIsolateTenantsOnV2() {
        start(Flavor.V2);
        createDevice("dev-1", "Boiler");

        api().get("/api/devices/dev-1").then().statusCode(200).body("tenantId", equalTo(TENANT));
        api("tenant-b").get("/api/devices/dev-1").then().statusCode(404);
        api("tenant-b").get("/api/devices").then().statusCode(200).body("size()", equalTo(0));
        api("tenant-b").body(device("dev-1", "Other")).post("/api/devices").then().statusCode(201);

        assertThat(backend.device(TENANT, "dev-1").orElseThrow().getString("name")).isEqualTo("Boiler");
        assertThat(backend.device("tenant-b", "dev-1").orElseThrow().getString("name")).isEqualTo("Other");
    }

    @Test
    void shouldScopeIdempotencyKeysPerTenantOnV2() {
        start(Flavor.V2);

        api().header("Idempotency-Key", "k").body(device("dev-1", "A")).post("/api/devices").then().statusCode(201);
        api("tenant-b").header("Idempotency-Key", "k").body(device("dev-2", "B")).post("/api/devices")
                .then().statusCode(201).body("id", equalTo("dev-2"));

        assertThat(backend.writeCount()).isEqualTo(2);
    }

    @Test
    void shouldReadTenantFromConfiguredHeader() {
        backend = DemoBackend.builder(Flavor.V2).tenantHeader("X-Org").clock(clock).build();
        listen();

        given().port(port).header("X-Tenant-Id", TENANT).get("/api/devices")
                .then().statusCode(400).body("error", equalTo("missing tenant header X-Org"));
        given().port(port).header("X-Org", TENANT).get("/api/devices").then().statusCode(200);
    }

    @Test
    void shouldOmitTenantIdOnV1() {
        start(Flavor.V1);

        api().body(device("dev-1", "Boiler")).post("/api/devices")
                .then().statusCode(201).body("$", not(hasKey("tenantId")));
    }

    private void start(Flavor flavor) {
        backend = DemoBackend.builder(flavor).clock(clock).build();
        listen();
    }

    private void listen() {
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(backend.router(vertx)).listen(0)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            port = server.actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("demo backend did not start", e);
        }
    }

    private RequestSpecification api() {
        return api(TENANT);
    }

    private RequestSpecification api(String tenant) {
        RequestSpecification spec = given().baseUri("http://127.0.0.1").port(port).contentType(ContentType.JSON);
        return backend.flavor() == Flavor.V2 ? spec.header(DemoBackend.DEFAULT_TENANT_HEADER, tenant) : spec;
    }

    private void createDevice(String id, String name) {
        api().body(device(id, name)).post("/api/devices").then().statusCode(201);
    }

    private void postReading(String deviceId, String timestamp, int value) {
        postReading(deviceId, timestamp, value, 201);
    }

    private void postReading(String deviceId, String timestamp, int value, int expectedStatus) {
        api().body(new JsonObject().put("timestamp", timestamp).put("data", new JsonObject().put("t", value)).encode())
                .post("/api/devices/" + deviceId + "/telemetry")
                .then().statusCode(expectedStatus);
    }

    private static String device(String id, String name) {
        return new JsonObject().put("id", id).put("name", name).put("type", "THERMOSTAT")
                .put("config", new JsonObject().put("setpoint", 21)).encode();
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        synchronized void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("fixed to UTC");
        }
    }
}
