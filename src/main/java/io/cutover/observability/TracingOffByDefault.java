package io.cutover.observability;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is off until an OTLP endpoint is configured: without {@code quarkus.otel.exporter.otlp.endpoint} (or its
 * {@code .traces.endpoint}) at run time, this sets {@code quarkus.otel.sdk.disabled=true}, so that the router neither
 * makes spans nor tries to export them to a collector that is not there. Setting the endpoint (for example
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}) turns tracing on with no rebuild; an explicit
 * {@code quarkus.otel.sdk.disabled} anywhere always wins (ordinal {@value #ORDINAL}, below every configuration file).
 */
public class TracingOffByDefault implements ConfigSourceFactory {

    static final String DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");
    static final int ORDINAL = 40;

    /**
     * Says {@code true} or {@code false} either way: Quarkus records the build's value of a run-time key as a default
     * of the packaged application, which a run-time endpoint must override.
     */
    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new MapBackedConfigSource("cutover-tracing-off-without-endpoint",
                Map.of(DISABLED, Boolean.toString(!endpointConfigured(context))), ORDINAL) {
        });
    }

    /** An endpoint set by someone: Quarkus's own default ({@code http://localhost:4317}, the lowest ordinal) does not count. */
    static boolean endpointConfigured(ConfigSourceContext context) {
        for (String key : ENDPOINTS) {
            ConfigValue v = context.getValue(key);
            if (v != null && v.getValue() != null && !v.getValue().isBlank() && v.getConfigSourceOrdinal() > ORDINAL) {
                return true;
            }
        }
        return false;
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
