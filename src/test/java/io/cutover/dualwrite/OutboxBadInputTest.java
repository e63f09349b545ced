package io.cutover.dualwrite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.testing.TestBackend.Canned;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Bad input loses nothing (issue 10 item 6), through the real router, its PostgreSQL outbox and two
 * backends, with the worker's rounds run by the test: a body the router cannot read an id from goes
 * where its primary's answer says; a row the secondary keeps failing for an hour blocks only its own
 * entity, and shows in the status with its reason and its age as the lag.
 */
@QuarkusTest
@TestProfile(WorkerByHandProfile.class)
class OutboxBadInputTest extends OutboxTestBase {

    private static final String TOKEN = "test-admin-token";
    private static final String BROKEN = "{\"id\": \"dev-broken\", \"name\": ";

    private JsonObject outboxStatus() {
        join(worker.refresh(Instant.now()));
        return new JsonObject(given().header("Authorization", "Bearer " + TOKEN).get("/admin/status")
                .then().statusCode(200).extract().asString()).getJsonObject("outbox");
    }

    @Test
    void shouldNeverSendACreateWhoseBodyThePrimaryCouldNotReadToTheSecondary() {
        v1.respond(r -> r.body().equals(BROKEN) ? new Canned(400, "{\"error\":\"body is not JSON\"}") : null);

        given().contentType("application/json").body(BROKEN).post("/api/devices")
                .then().statusCode(400).header("X-Cutover-Backend", "v1");
        awaitSettled();
        join(worker.drain());

        assertThat(count("state = 'cancelled'")).as("its intent was recorded, then cancelled by V1's answer").isEqualTo(1);
        assertThat(count("state <> 'cancelled'")).as("nothing is left to send").isZero();
        assertThat(writes(v2)).as("V2 never gets a write V1 refused").isEmpty();
    }

    @Test
    void shouldSetAsideAnUnreadableCreateTheSecondaryRefusesAndLetTheTenantsLaterWritesGoOn() {
        // a lenient primary takes the body it cannot read either; V2 refuses it
        v1.respond(r -> r.body().equals(BROKEN) ? new Canned(201, "{\"ok\":true}") : null);
        v2.respond(r -> r.body().startsWith(BROKEN) ? new Canned(400, "{\"error\":\"body is not JSON\"}") : null);

        given().contentType("application/json").body(BROKEN).post("/api/devices").then().statusCode(201);
        given().contentType("application/json").body(new JsonObject().put("name", "later, no id").encode())
                .post("/api/devices").then().statusCode(201);
        awaitSettled();
        join(worker.drain());

        assertThat(count("state = 'failed'")).as("the unreadable create is set aside for an operator").isEqualTo(1);
        assertThat(count("state IN ('unconfirmed', 'pending')")).as("the tenant's later write went on behind it").isZero();
        assertThat(writes(v2)).extracting(r -> r.body().startsWith(BROKEN) ? "broken" : new JsonObject(r.body()).getString("name"))
                .containsExactly("broken", "later, no id");
        JsonObject v2Status = outboxStatus().getJsonObject("targets").getJsonObject("v2");
        assertThat(v2Status.getLong("failed")).isEqualTo(1);
        assertThat(given().get("/q/metrics").then().extract().asString())
                .containsPattern("cutover_outbox_failed_rows\\{[^}]*target=\"v2\"[^}]*} 1.0");
    }

    @Test
    void shouldShowARowRetriedForAnHourAsBlockingOnlyItsEntityWithItsReasonAndItsAgeAsTheLag() {
        // d-stuck's head row was written an hour ago, and V2 has answered 503 to it ever since
        OffsetDateTime hourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
        join(pool.preparedQuery("INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant,"
                        + " idempotency_key, entity_key, ordered, attempts, last_error, next_attempt_at, created_at, updated_at)"
                        + " VALUES ($1, 'pending', 'v2', 'PUT', '/api/devices/d-stuck', '{}'::jsonb, $2, 'default', 'k-stuck',"
                        + " 'device:d-stuck', true, 120, 'server-error 503', $3, $3, $3)")
                .execute(Tuple.tuple().addUUID(UUID.randomUUID()).addBuffer(Buffer.buffer("{\"name\":\"stuck\"}"))
                        .addOffsetDateTime(hourAgo)));
        v2.respond(r -> r.uri().endsWith("/d-stuck") ? new Canned(503, "{\"error\":\"unavailable\"}") : null);
        given().contentType("application/json").body("{\"name\":\"behind\"}").put("/api/devices/d-stuck").then().statusCode(200);
        for (int d = 0; d < 3; d++) {
            given().contentType("application/json").body("{\"name\":\"fine\"}").put("/api/devices/d-ok-" + d).then().statusCode(200);
        }

        awaitSettled();
        join(worker.drain());

        assertThat(writes(v2).stream().filter(r -> r.uri().contains("/d-ok-"))).as("every other entity flows").hasSize(3);
        assertThat(count("state = 'pending' AND entity_key = 'device:d-stuck'"))
                .as("d-stuck's later write waits behind its head, as order demands").isEqualTo(2);
        JsonObject outbox = outboxStatus();
        assertThat(outbox.getJsonArray("blocked")).singleElement().satisfies(b -> {
            JsonObject blocked = (JsonObject) b;
            assertThat(blocked.getString("entity")).isEqualTo("device:d-stuck");
            assertThat(blocked.getString("reason")).contains("503");
            assertThat(blocked.getLong("waiting")).isEqualTo(2);
        });
        assertThat(outbox.getJsonObject("targets").getJsonObject("v2").getDouble("lagSeconds"))
                .as("the lag is the head row's age: an hour").isGreaterThanOrEqualTo(3600.0);
    }
}
