package io.cutover.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The access log's and the tracing's values reach the router as the keys it reads. */
class HelmObservabilityTest {

    private static Map<String, String> routerEnv(String... sets) {
        List<JsonNode> docs = HelmChartTest.render(sets);
        JsonNode deployment = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        Map<String, String> env = new HashMap<>();
        deployment.at("/spec/template/spec/containers/0/env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText()));
        return env;
    }

    @Test
    void shouldLogEveryRequestAndTraceNothingByDefault() {
        Map<String, String> env = routerEnv();

        assertThat(env).containsEntry("CUTOVER_ACCESS_LOG_ENABLED", "true").containsEntry("CUTOVER_ACCESS_LOG_SAMPLE", "1")
                .containsEntry("CUTOVER_ACCESS_LOG_TENANT", "plain").doesNotContainKey("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    @Test
    void shouldPassTheOtlpEndpointAndTheAccessLogsChoices() {
        Map<String, String> env = routerEnv("observability.tracing.otlpEndpoint=http://otel-collector:4318",
                "observability.tracing.otlpProtocol=http/protobuf", "observability.accessLog.sample=0.1",
                "observability.accessLog.tenant=hash");

        assertThat(env).containsEntry("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4318")
                .containsEntry("QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                .containsEntry("CUTOVER_ACCESS_LOG_SAMPLE", "0.1").containsEntry("CUTOVER_ACCESS_LOG_TENANT", "hash");
        assertThatThrownBy(() -> HelmChartTest.render("observability.accessLog.tenant=sha")).hasMessageContaining("tenant");
        assertThatThrownBy(() -> HelmChartTest.render("observability.tracing.otlpProtocol=http/json"))
                .hasMessageContaining("otlpProtocol");
    }
}
