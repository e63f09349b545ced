package io.cutover.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.testing.AccessLines;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Mode;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context through the router, with tracing switched on as an operator does (the SDK on; spans read from an
 * in-memory exporter instead of an OTLP collector): the router's server span is the parent of every request it sends,
 * and a fallback, a shadow read and an outbox send are spans of the client's trace.
 */
@QuarkusTest
@TestProfile(TracingTest.On.class)
class TracingTest extends ProxyTestBase {

    public static class On implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "20ms",
                    "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:1");
        }
    }

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String CLIENT_TRACEPARENT = "00-" + TRACE + "-" + CLIENT_SPAN + "-01";

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void forgetSpans() {
        spans.reset();
    }

    private List<SpanData> trace(String traceId, int atLeast, Predicate<List<SpanData>> complete) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
                        l -> l.size() >= atLeast && complete.test(l));
    }

    private static SpanData named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(SpanData::getName).toList()));
    }

    private static SpanData server(List<SpanData> spans) {
        return spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst()
                .orElseThrow(() -> new AssertionError("no server span in " + spans));
    }

    private static boolean has(List<SpanData> spans, String name) {
        return spans.stream().anyMatch(s -> s.getName().equals(name));
    }

    private static String spanIdOf(TestBackend.Received r) {
        String tp = r.header("traceparent");
        assertThat(tp).as("traceparent the backend received").isNotNull().matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return tp.substring(36, 52);
    }

    @Test
    void shouldMakeTheRoutersSpanTheParentOfTheBackendRequest() {
        given().header("traceparent", CLIENT_TRACEPARENT).get("/api/devices/d-traced").then().statusCode(200);

        List<SpanData> trace = trace(TRACE, 2, l -> has(l, "forward v1") && l.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER));
        SpanData server = server(trace);
        SpanData forward = named(trace, "forward v1");
        assertThat(server.getParentSpanId()).as("the client's span is the router's parent").isEqualTo(CLIENT_SPAN);
        assertThat(forward.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(forward.getKind()).isEqualTo(SpanKind.CLIENT);
        TestBackend.Received received = v1.received().get(0);
        assertThat(received.header("traceparent")).as("the client's traceparent is replaced")
                .isEqualTo("00-" + TRACE + "-" + forward.getSpanId() + "-01");
        assertThat(forward.getAttributes().get(Tracing.BACKEND)).isEqualTo("v1");
    }

    @Test
    void shouldStartATraceForARequestWithoutOne() {
        given().get("/api/devices/d-untraced").then().statusCode(200);

        String spanId = spanIdOf(v1.received().get(0));
        String traceId = v1.received().get(0).header("traceparent").substring(3, 35);
        List<SpanData> trace = trace(traceId, 2, l -> has(l, "forward v1"));
        assertThat(server(trace).getParentSpanContext().isValid()).as("a root span").isFalse();
        assertThat(named(trace, "forward v1").getSpanId()).isEqualTo(spanId);
    }

    @Test
    void shouldShowTheFallbackToV1AsASpanOfTheSameTrace() {
        applyPolicy("v2Weight: 100\n");
        v2.mode(Mode.ERROR_500);
        try (AccessLines log = AccessLines.capture()) {
            given().header("traceparent", CLIENT_TRACEPARENT).get("/api/devices/d-fallback").then().statusCode(200);

            List<SpanData> trace = trace(TRACE, 3, l -> has(l, "forward v2") && has(l, "fallback v1"));
            SpanData server = server(trace);
            SpanData v2Call = named(trace, "forward v2");
            SpanData fallback = named(trace, "fallback v1");
            assertThat(v2Call.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(v2Call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(fallback.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(v1.received().get(0).header("traceparent")).contains(fallback.getSpanId());
            JsonNode line = await().atMost(Duration.ofSeconds(5)).until(() -> log.of("/api/devices/d-fallback"),
                    l -> !l.isEmpty()).get(0);
            assertThat(line.get("trace_id").asText()).isEqualTo(TRACE);
            assertThat(line.get("fallback").asBoolean()).isTrue();
        }
    }

    @Test
    void shouldShowTheShadowReadInTheTrace() {
        applyPolicy("v2Weight: 0\nshadowReads: 1\n");
        given().header("traceparent", CLIENT_TRACEPARENT).get("/api/devices/d-shadowed").then().statusCode(200);

        List<SpanData> trace = trace(TRACE, 5, l -> l.stream().filter(s -> s.getName().startsWith("shadow read")).count() >= 3);
        SpanData shadow = named(trace, "shadow read");
        SpanData v2Call = named(trace, "shadow read v2");
        assertThat(v2Call.getParentSpanId()).isEqualTo(shadow.getSpanId());
        assertThat(named(trace, "shadow read v1").getParentSpanId()).isEqualTo(shadow.getSpanId());
        assertThat(shadow.getParentSpanId()).as("under the forward it shadows").isEqualTo(named(trace, "forward v1").getSpanId());
        assertThat(v2.received()).anySatisfy(r -> assertThat(spanIdOf(r)).isEqualTo(v2Call.getSpanId()));
    }

    @Test
    void shouldSendAnOutboxRowLaterAsASpanOfTheClientsTrace() {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        try (AccessLines log = AccessLines.capture()) {
            given().header("traceparent", CLIENT_TRACEPARENT).contentType("application/json")
                    .body("{\"name\":\"traced\",\"type\":\"t\"}").post("/api/devices").then().statusCode(201);

            List<SpanData> trace = trace(TRACE, 3, l -> has(l, "outbox send v2") && has(l, "forward v1"));
            SpanData server = server(trace);
            SpanData send = named(trace, "outbox send v2");
            assertThat(send.getParentSpanId()).as("linked to the client's request through the intent row")
                    .isEqualTo(server.getSpanId());
            assertThat(v2.received()).anySatisfy(r -> assertThat(spanIdOf(r)).isEqualTo(send.getSpanId()));
            JsonNode line = await().atMost(Duration.ofSeconds(5)).until(() -> log.of("/api/devices"), l -> !l.isEmpty()).get(0);
            assertThat(send.getAttributes().get(Tracing.OUTBOX_ID)).isEqualTo(line.get("outbox_id").asText());
            assertThat(line.get("trace_id").asText()).isEqualTo(TRACE);
        }
    }

    @Test
    void shouldCarryTraceIdsAsExemplarsOfTheLatencyHistogram() {
        given().header("traceparent", CLIENT_TRACEPARENT).get("/api/devices/d-exemplar").then().statusCode(200);

        String metrics = given().header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines().filter(l -> l.startsWith("cutover_backend_latency_seconds_bucket")))
                .anyMatch(l -> l.contains("trace_id=\"" + TRACE + "\""));
    }
}
