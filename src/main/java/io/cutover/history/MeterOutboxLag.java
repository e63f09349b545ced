package io.cutover.history;

import static io.cutover.observability.MetricNames.TAG_TARGET;

import io.cutover.observability.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outbox lag as the outbox publishes it: the gauge {@value #LAG_GAUGE} by {@code target} (the age of the
 * oldest row still to send). No gauge (no database, so no outbox): no lag.
 */
final class MeterOutboxLag implements OutboxLag {

    /** The gauge read; the one place to change when the outbox names its lag otherwise. */
    static final String LAG_GAUGE = MetricNames.OUTBOX_LAG;

    private final MeterRegistry registry;

    MeterOutboxLag(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Map<String, Double> lagSeconds() {
        Map<String, Double> lag = new TreeMap<>();
        for (Gauge g : registry.find(LAG_GAUGE).gauges()) {
            String target = g.getId().getTag(TAG_TARGET);
            double v = g.value();
            if (target != null && Double.isFinite(v)) {
                lag.put(target, v);
            }
        }
        return lag;
    }
}
