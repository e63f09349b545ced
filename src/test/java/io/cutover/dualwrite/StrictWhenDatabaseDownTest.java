package io.cutover.dualwrite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.testing.AccessLines;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.RelayedDatabase;
import io.cutover.testing.StallingRelay;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cutover.outbox.when-database-down=strict}: with the router's own PostgreSQL hung, a dual-written write is
 * refused (503) before any backend has it, rather than acknowledged with its intent held in memory; the access log
 * says so; once the database answers, writes go through again.
 */
@QuarkusTest
@TestProfile(StrictWhenDatabaseDownTest.Strict.class)
class StrictWhenDatabaseDownTest extends ProxyTestBase {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cutover.outbox.when-database-down", "strict", "cutover.outbox.database-timeout", "300ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RelayedDatabase.class));
        }
    }

    private static StallingRelay relay() {
        return RelayedDatabase.relay();
    }

    @AfterEach
    void databaseBack() {
        relay().pass();
    }

    private static Response put(String device) {
        return given().contentType("application/json").body("{\"n\":1}").put("/api/devices/" + device);
    }

    @Test
    void shouldRefuseAWriteItCannotRecordAndLogTheRefusal() {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        // on a busy machine a first statement may pass the 300 ms bound, and strict mode refuses that write: the
        // database must be seen up (a write taken) before the stall
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> put("strict-warm").statusCode() == 200);
        v1.reset();

        try (AccessLines log = AccessLines.capture()) {
            relay().stall();
            Response refused = put("strict-1");
            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(503);
            assertThat(refused.asString()).contains("when-database-down=strict");
            assertThat(v1.received()).as("no backend has the refused write").noneMatch(r -> r.method().equals("PUT"));

            JsonNode line = await().atMost(Duration.ofSeconds(5)).until(() -> log.of("/api/devices/strict-1"),
                    l -> !l.isEmpty()).get(0);
            assertThat(line.get("status").asInt()).isEqualTo(503);
            assertThat(line.get("refusal").asText()).isEqualTo("outbox-unavailable");
            assertThat(line.get("outcome").asText()).as("no backend was asked").isEqualTo("refused");
            assertThat(line.get("backend").isNull()).isTrue();
            assertThat(line.get("upstream_ms").isNull()).isTrue();
        }

        relay().pass();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> put("strict-2").statusCode() == 200);
    }
}
