package io.cutover.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.testing.AccessLines;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend.Mode;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The access log as an SRE reads it: one JSON line per proxied request, saying where it went and what came back. */
@QuarkusTest
class AccessLogTest extends ProxyTestBase {

    private AccessLines log;

    @BeforeEach
    void capture() {
        log = AccessLines.capture();
    }

    @AfterEach
    void release() {
        log.close();
    }

    private JsonNode lineOf(String path) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> log.of(path), l -> !l.isEmpty()).get(0);
    }

    @Test
    void shouldWriteOneLineSayingWhereARequestWentAndWhatCameBack() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        given().header("X-Api-Key", "key-tenant-acme").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .get("/api/devices/d-access?secret=s3cr3t").then().statusCode(200);

        JsonNode line = lineOf("/api/devices/d-access");
        assertThat(line.get("method").asText()).isEqualTo("GET");
        assertThat(line.get("query").asBoolean()).isTrue();
        assertThat(line.toString()).doesNotContain("s3cr3t");
        assertThat(line.get("route").asText()).isEqualTo("devices");
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("backend").asText()).isEqualTo("v1");
        assertThat(line.get("fallback").asBoolean()).isFalse();
        assertThat(line.get("reason").asText()).isEqualTo("weight");
        assertThat(line.get("outcome").asText()).isEqualTo("success");
        assertThat(line.get("tenant").asText()).isEqualTo("tenant-acme");
        assertThat(line.get("bytes_in").asLong()).isZero();
        assertThat(line.get("bytes_out").asLong()).isPositive();
        assertThat(line.get("duration_ms").isNumber()).isTrue();
        assertThat(line.get("upstream_ms").isNumber()).isTrue();
        assertThat(line.get("upstream_ms").asDouble()).isLessThanOrEqualTo(line.get("duration_ms").asDouble());
        assertThat(line.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        // tracing is off here: the line carries the client's trace id, so it still joins the client's trace
        assertThat(line.get("trace_id").asText()).isEqualTo(traceId);
        assertThat(line.get("outbox_id").isNull()).isTrue();
        assertThat(log.of("/api/devices/d-access")).hasSize(1);
    }

    @Test
    void shouldSayWhenV1AnsweredForAFailingV2() {
        applyPolicy("v2Weight: 100\n");
        v2.mode(Mode.ERROR_500);
        given().get("/api/devices/d-fallback").then().statusCode(200);

        JsonNode line = lineOf("/api/devices/d-fallback");
        assertThat(line.get("backend").asText()).isEqualTo("v1");
        assertThat(line.get("fallback").asBoolean()).isTrue();
        assertThat(line.get("reason").asText()).as("why V2 was chosen first").isEqualTo("weight");
        assertThat(line.get("query").asBoolean()).isFalse();
        assertThat(line.get("trace_id").isNull()).isTrue();
    }

    @Test
    void shouldNameTheOutboxRowOfADualWrittenWrite() {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        String body = "{\"name\":\"logged\",\"type\":\"t\"}";
        given().contentType("application/json").body(body).post("/api/devices").then().statusCode(201);

        JsonNode line = lineOf("/api/devices");
        assertThat(line.get("method").asText()).isEqualTo("POST");
        assertThat(line.get("bytes_in").asLong()).isEqualTo(body.length());
        assertThat(UUID.fromString(line.get("outbox_id").asText())).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> !v2.received().isEmpty());
    }

    @Test
    void shouldWriteNothingForTheRoutersOwnPaths() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/api/devices/d-after-health").then().statusCode(200);

        lineOf("/api/devices/d-after-health");
        List<JsonNode> all = log.lines();
        assertThat(all).noneMatch(l -> l.get("path").asText().startsWith("/q/"));
    }
}
