package io.cutover.observability;

import static io.cutover.observability.MetricNames.*;

import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.cutover.routing.RequestKind.Route;
import io.cutover.routing.RoutingDecision.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The request path's meters, all registered up front and kept in arrays indexed by ordinal, so
 * that counting a request costs no map lookup and no allocation.
 */
@Singleton
public class RouterMetrics {

    private final Counter[][][] requests;     // [route][backend][outcome]
    private final Counter[][] decisions;      // [reason][backend]
    private final Timer[] latency;            // [backend]
    private final MeterRegistry registry;

    RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Route[] routes = Route.values();
        Backend[] backends = Backend.values();
        Outcome[] outcomes = Outcome.values();
        requests = new Counter[routes.length][backends.length][outcomes.length];
        for (Route r : routes) {
            for (Backend b : backends) {
                for (Outcome o : outcomes) {
                    requests[r.ordinal()][b.ordinal()][o.ordinal()] = Counter.builder(REQUESTS)
                            .description("Proxied requests by route, answering backend and outcome")
                            .tags(TAG_ROUTE, r.tag(), TAG_BACKEND, b.id(), TAG_OUTCOME, o.tag())
                            .register(registry);
                }
            }
        }
        Reason[] reasons = Reason.values();
        decisions = new Counter[reasons.length][backends.length];
        for (Reason r : reasons) {
            for (Backend b : backends) {
                decisions[r.ordinal()][b.ordinal()] = Counter.builder(ROUTING_DECISIONS)
                        .description("Routing decisions by reason and chosen backend")
                        .tags(TAG_REASON, r.tag(), TAG_BACKEND, b.id())
                        .register(registry);
            }
        }
        latency = new Timer[backends.length];
        for (Backend b : backends) {
            latency[b.ordinal()] = Timer.builder(BACKEND_LATENCY)
                    .description("Time from sending a request to a backend to its answer's headers (or whole body when buffered)")
                    .tags(TAG_BACKEND, b.id())
                    .publishPercentileHistogram()
                    .register(registry);
        }
    }

    public void request(Route route, Backend backend, Outcome outcome) {
        requests[route.ordinal()][backend.ordinal()][outcome.ordinal()].increment();
    }

    public void decision(Reason reason, Backend backend) {
        decisions[reason.ordinal()][backend.ordinal()].increment();
    }

    public void latency(Backend backend, long nanos) {
        latency[backend.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    public void rejected(String reason) {
        registry.counter(REJECTED, TAG_REASON, reason).increment();
    }
}
