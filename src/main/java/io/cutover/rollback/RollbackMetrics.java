package io.cutover.rollback;

import io.cutover.observability.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The latch's gauge, the count of the latches this replica made, by cause, and how long and how
 * many windows the guard could not judge V2.
 */
@ApplicationScoped
class RollbackMetrics implements SharedLatch.Listener {

    private MeterRegistry registry;

    void register(@Observes StartupEvent event, MeterRegistry registry, SharedLatch latch, RollbackGuard guard) {
        this.registry = registry;
        FunctionCounter.builder(MetricNames.ROLLBACK_INCONCLUSIVE_WINDOWS, guard, RollbackGuard::inconclusiveWindowsTotal)
                .description("Windows in which the rollback guard could not judge V2: fewer V2 requests than rollback.minRequests")
                .register(registry);
        Gauge.builder(MetricNames.ROLLBACK_BLIND, guard, g -> g.blindFor().toMillis() / 1000.0)
                .baseUnit("seconds")
                .description("How long the rollback guard has been unable to judge V2 (too few requests); 0 once it can")
                .register(registry);
        Gauge.builder(MetricNames.ROLLBACK_LATCHED, latch, l -> l.isLatched() ? 1 : 0)
                .description("1 while the rollback is latched (all traffic on V1), else 0")
                .register(registry);
        for (String cause : new String[] {"error-rate", "p99-latency", LatchState.CAUSE_OPERATOR}) {
            trips(cause);
        }
        latch.addListener(this);
    }

    @Override
    public void changed(LatchState before, LatchState after, boolean local) {
        if (local && after.latched()) {
            trips(after.cause()).increment();
        }
    }

    private Counter trips(String cause) {
        return Counter.builder(MetricNames.ROLLBACK_TRIPS)
                .description("Rollback latches made by this replica, by reason (error-rate, p99-latency, operator)")
                .tag(MetricNames.TAG_REASON, cause)
                .register(registry);
    }
}
