package io.cutover.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing follows the OTLP endpoint at run time, and an explicit choice of the operator always wins. */
class TracingOffByDefaultTest {

    private static boolean disabled(Map<String, String> configured) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(configured, "operator", 300))
                // what a packaged jar carries: the build's value of a run-time key, as a default
                .withSources(new PropertiesConfigSource(Map.of(TracingOffByDefault.DISABLED, "true"), "build", Integer.MIN_VALUE + 100))
                // Quarkus's own default endpoint, which is no one's choice
                .withSources(new PropertiesConfigSource(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317",
                        "quarkus.otel.exporter.otlp.traces.endpoint", "http://localhost:4317"), "defaults", Integer.MIN_VALUE))
                .withSources(new TracingOffByDefault())
                .build();
        return config.getValue(TracingOffByDefault.DISABLED, Boolean.class);
    }

    @Test
    void shouldBeOffWithoutAnEndpoint() {
        assertThat(disabled(Map.of())).isTrue();
    }

    @Test
    void shouldBeOnOnceAnEndpointIsConfiguredAtRunTime() {
        assertThat(disabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318"))).isFalse();
        assertThat(disabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4317"))).isFalse();
    }

    @Test
    void shouldLetTheOperatorDecideExplicitly() {
        assertThat(disabled(Map.of("quarkus.otel.sdk.disabled", "false"))).isFalse();
        assertThat(disabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318",
                "quarkus.otel.sdk.disabled", "true"))).isTrue();
    }
}
