package io.cutover.observability;

import io.cutover.policy.PolicyStore;
import io.cutover.resilience.BackendBreakers;
import io.cutover.routing.Backend;
import io.cutover.routing.TrafficRouter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;

/** Gauges read from the live state when scraped: breaker states and the effective V2 weight. */
@ApplicationScoped
class StateGauges {

    void register(@Observes StartupEvent event, MeterRegistry registry, BackendBreakers breakers,
                  PolicyStore policies, TrafficRouter router) {
        for (Backend b : Backend.values()) {
            for (CircuitBreakerState s : CircuitBreakerState.values()) {
                Gauge.builder(MetricNames.BREAKER_STATE, () -> breakers.state(b) == s ? 1 : 0)
                        .description("1 for the state the backend's circuit breaker is in")
                        .tags(MetricNames.TAG_BACKEND, b.id(), MetricNames.TAG_STATE, s.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                        .register(registry);
            }
        }
        Gauge.builder(MetricNames.EFFECTIVE_WEIGHT, () -> router.effectiveV2Weight(policies.policy()))
                .description("The V2 weight in force: the policy's (or its progression's step), or 0 while a rollback is latched")
                .register(registry);
    }
}
