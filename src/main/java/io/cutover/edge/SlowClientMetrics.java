package io.cutover.edge;

import io.cutover.observability.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** {@value MetricNames#EDGE_SLOW_CLIENTS_CLOSED}, by reason. */
final class SlowClientMetrics {

    enum Reason { TIMEOUT, LIMIT }

    private final Map<Reason, Counter> closed = new EnumMap<>(Reason.class);

    SlowClientMetrics(MeterRegistry registry) {
        for (Reason r : Reason.values()) {
            closed.put(r, Counter.builder(MetricNames.EDGE_SLOW_CLIENTS_CLOSED)
                    .description("Connections closed before they delivered a request head, by reason (timeout, limit)")
                    .tag(MetricNames.TAG_REASON, r.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    void closed(Reason reason) {
        closed.get(reason).increment();
    }
}
