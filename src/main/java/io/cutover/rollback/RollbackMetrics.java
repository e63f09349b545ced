package io.cutover.rollback;

import io.cutover.observability.MetricNames;
import io.cutover.routing.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.ToDoubleFunction;

/**
 * The latch's gauge, the count of the latches this replica made, by cause, and what the guard's
 * verdicts rest on: the verdict, the evidence on each side since when, how sure it makes the guard,
 * and how long it could not judge V2 (or had no V2 data at all).
 */
@ApplicationScoped
class RollbackMetrics implements SharedLatch.Listener {

    private MeterRegistry registry;

    void register(@Observes StartupEvent event, MeterRegistry registry, SharedLatch latch, RollbackGuard guard) {
        this.registry = registry;
        FunctionCounter.builder(MetricNames.ROLLBACK_INCONCLUSIVE_WINDOWS, guard, RollbackGuard::inconclusiveWindowsTotal)
                .description("Windows (rollback.window) in which the rollback guard could not judge V2: no V2 data or not yet"
                        + " enough evidence at the configured confidence")
                .register(registry);
        Gauge.builder(MetricNames.ROLLBACK_BLIND, guard, g -> g.blindFor().toMillis() / 1000.0)
                .baseUnit("seconds")
                .description("How long the rollback guard has been unable to judge V2 (no data or not enough evidence); 0 once it can")
                .register(registry);
        Gauge.builder(MetricNames.ROLLBACK_NO_DATA, guard, g -> g.noDataFor().toMillis() / 1000.0)
                .baseUnit("seconds")
                .description("How long no V2 request has reached V2 within the rollback horizon (verdict no-data); 0 otherwise")
                .register(registry);
        for (Verdict.Kind kind : Verdict.Kind.values()) {
            Gauge.builder(MetricNames.ROLLBACK_VERDICT, guard, g -> g.lastVerdict() == kind ? 1 : 0)
                    .tag(MetricNames.TAG_STATE, kind.tag())
                    .description("1 for the rollback guard's last verdict, 0 for the others")
                    .register(registry);
        }
        for (Backend b : Backend.values()) {
            evidence(MetricNames.ROLLBACK_EVIDENCE_REQUESTS, b, guard, f -> f.requests(),
                    "Requests that reached the backend in the evidence of the guard's last verdict (short-circuits excluded)");
            evidence(MetricNames.ROLLBACK_EVIDENCE_FAILURES, b, guard, f -> f.failures(),
                    "Of those, failures (5xx, timeouts, resets, connect errors)");
        }
        Gauge.builder(MetricNames.ROLLBACK_EVIDENCE_AGE, guard, g -> figures(g) == null ? 0 : figures(g).windowMs() / 1000.0)
                .baseUnit("seconds")
                .description("Span of the evidence the guard's last verdict weighed (it was gathered since now minus this)")
                .register(registry);
        Gauge.builder(MetricNames.ROLLBACK_WORSE_CONFIDENCE, guard, g -> g.explained().worseConfidence())
                .description("How sure the evidence makes the guard that V2 is worse than its threshold and V1 (latch at rollback.confidence)")
                .register(registry);
        Gauge.builder(MetricNames.ROLLBACK_HEALTHY_CONFIDENCE, guard, g -> g.explained().healthyConfidence())
                .description("How sure the evidence makes the guard that V2's error rate is under its threshold (healthy at rollback.promoteConfidence)")
                .register(registry);
        Gauge.builder(MetricNames.ROLLBACK_LATCHED, latch, l -> l.isLatched() ? 1 : 0)
                .description("1 while the rollback is latched (all traffic on V1), else 0")
                .register(registry);
        for (String cause : new String[] {"error-rate", "p99-latency", LatchState.CAUSE_OPERATOR}) {
            trips(cause);
        }
        latch.addListener(this);
    }

    private static GuardFigures figures(RollbackGuard g) {
        return g.last().figures();
    }

    private void evidence(String name, Backend b, RollbackGuard guard, ToDoubleFunction<WindowFigures> value, String description) {
        Gauge.builder(name, guard, g -> {
                    GuardFigures f = figures(g);
                    return f == null ? 0 : value.applyAsDouble(b == Backend.V1 ? f.v1() : f.v2());
                })
                .tag(MetricNames.TAG_BACKEND, b.id())
                .description(description)
                .register(registry);
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
