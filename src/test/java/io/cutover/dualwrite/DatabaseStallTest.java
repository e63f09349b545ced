package io.cutover.dualwrite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RelayedDatabase;
import io.cutover.testing.StallingRelay;
import io.cutover.testing.TestBackend.Received;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router's own PostgreSQL hangs (every byte between the router and it stops: a {@code SIGSTOP}ped
 * server, a black-holed network) or is killed, under writes. Every write is still answered, within
 * the write path's database bound rather than the client's patience; every acknowledged write's
 * intent is held in memory and counted in the durability gap; once the database answers again the
 * intents reach the outbox and the secondary exactly once. Readiness stays up throughout: the router
 * can serve clients.
 */
@QuarkusTest
@TestProfile(DatabaseStallTest.Relayed.class)
class DatabaseStallTest extends ProxyTestBase {

    /** The router's reactive pool goes through a relay the test stalls; the write path's database bound is 300 ms. */
    public static class Relayed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a grace far beyond the test: a row left unconfirmed would never be sent while it runs
            return Map.of("cutover.outbox.database-timeout", "300ms", "cutover.outbox.unconfirmed-grace", "10m");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RelayedDatabase.class));
        }
    }

    /** A client that gives up after 5 s: an answer bounded by 300 ms of database wait comes far sooner; a hang does not. */
    private static RequestSpecification client() {
        return given().config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", 5000).setParam("http.connection.timeout", 5000)));
    }

    private static StallingRelay relay() {
        return RelayedDatabase.relay();
    }

    @AfterEach
    void databaseBack() {
        relay().pass();
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxCount("state IN ('unconfirmed','pending')") == 0);
    }

    /** Counted straight in the database, not through the router's pool. */
    private static long outboxCount(String where) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + io.cutover.database.EmbeddedPostgres.port()
                + "/postgres", "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM cutover_outbox WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Response put(String device, int n, String key) {
        return client().contentType("application/json").header("Idempotency-Key", key)
                .body(new JsonObject().put("n", n).encode()).put("/api/devices/" + device);
    }

    private List<String> keysAtV2() {
        return v2.received().stream().filter(r -> r.method().equals("PUT")).map(r -> r.header("Idempotency-Key")).toList();
    }

    @Test
    void shouldAnswerEveryWriteAndHoldItsIntentWhileTheDatabaseHangsThenDeliverEachOnce() throws Exception {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        assertThat(put("stall-warm", 0, "stall-warm").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> keysAtV2().contains("stall-warm"));
        v1.reset();
        v2.reset();

        relay().stall();
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Response r = put("stall-" + (i % 3), i, "stall-key-" + i);
            assertThat(r.statusCode()).as("write %d while the database hangs: %s", i, r.asString()).isEqualTo(200);
            acknowledged.add("stall-key-" + i);
        }
        assertThat(v1.received()).filteredOn(r -> r.method().equals("PUT")).hasSize(10);

        Response status = given().header("Authorization", "Bearer test-admin-token").get("/admin/status");
        JsonObject outbox = new JsonObject(status.asString()).getJsonObject("outbox");
        assertThat(outbox.getString("database")).as(status.asString()).isEqualTo("down");
        assertThat(outbox.getJsonObject("lastGap").getInteger("held")).as("every acknowledged write counted in the gap")
                .isEqualTo(10);
        assertThat(outbox.getJsonObject("lastGap").getInteger("lost")).isZero();

        client().get("/q/health/ready").then().statusCode(200);
        client().get("/q/health/live").then().statusCode(200);

        relay().pass();
        await().atMost(Duration.ofSeconds(20)).until(() -> keysAtV2().containsAll(acknowledged));
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxCount("state IN ('unconfirmed','pending')") == 0);
        for (String key : acknowledged) {
            assertThat(outboxCount("idempotency_key = '" + key + "'")).as("rows of " + key).isEqualTo(1);
            assertThat(outboxCount("idempotency_key = '" + key + "' AND state = 'done'")).as(key + " done").isEqualTo(1);
        }
        // an entity's writes reach the secondary in the primary's order
        for (int d = 0; d < 3; d++) {
            String device = "/api/devices/stall-" + d;
            List<Integer> atV1 = v1.received().stream().filter(r -> r.uri().equals(device)).map(r -> new JsonObject(r.body()).getInteger("n")).toList();
            List<Integer> atV2 = v2.received().stream().filter(r -> r.uri().equals(device)).map(r -> new JsonObject(r.body()).getInteger("n")).distinct().toList();
            assertThat(atV2).as(device).containsExactlyElementsOf(atV1);
        }
    }

    @Test
    void shouldSettleAWriteFromThePrimarysAnswerWhenItsClientLeavesBeforeIt() throws Exception {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        v1.mode(io.cutover.testing.TestBackend.Mode.SLOW);
        v1.slowMillis(1000);
        int port = io.restassured.RestAssured.port;
        for (int i = 0; i < 4; i++) {
            String body = "{\"n\":" + i + "}";
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.getOutputStream().write(("PUT /api/devices/left-" + i + " HTTP/1.1\r\nHost: x\r\nIdempotency-Key: left-key-" + i
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                int n = i;
                await().atMost(Duration.ofSeconds(5)).until(() -> v1.received().stream().anyMatch(r -> r.uri().endsWith("/left-" + n)));
            } // the client leaves while V1 is still working on its write
        }
        // V1 applied all four: the router learns it from V1's answers and sends them on, without waiting for the grace
        await().atMost(Duration.ofSeconds(15)).until(() -> keysAtV2().containsAll(List.of("left-key-0", "left-key-1", "left-key-2", "left-key-3")));
        assertThat(outboxCount("idempotency_key LIKE 'left-key-%' AND state = 'unconfirmed'")).isZero();
        v1.mode(io.cutover.testing.TestBackend.Mode.ECHO);
    }

    @Test
    void shouldStayReadyAndServeWritesWhileTheDatabaseIsKilled() throws Exception {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        relay().down();
        for (int i = 0; i < 3; i++) {
            assertThat(put("killed-" + i, i, "killed-key-" + i).statusCode()).isEqualTo(200);
        }
        client().get("/q/health/ready").then().statusCode(200);
        relay().pass();
        await().atMost(Duration.ofSeconds(20)).until(() -> keysAtV2().containsAll(List.of("killed-key-0", "killed-key-1", "killed-key-2")));
    }
}
