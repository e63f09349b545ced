package io.cutover.observability;

import static io.cutover.observability.MetricNames.*;

import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.cutover.routing.RequestKind.Route;
import io.cutover.routing.RoutingDecision.Reason;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.List;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The request path's meters, registered up front and kept in arrays indexed by ordinal, so that
 * counting a request costs no allocation; the request counters of a route (its name in the route table)
 * are registered when it is first counted and found by one map lookup after.
 */
@Singleton
public class RouterMetrics {

    private final Map<String, Counter[][]> requests = new ConcurrentHashMap<>();     // route -> [backend][outcome]
    private final Counter[][] decisions;      // [reason][backend]
    private final Timer[] latency;            // [backend]
    private final MeterRegistry registry;

    /**
     * Meters of their own, in a registry nobody scrapes, of the same kind as {@code like} (so that code warmed on them
     * runs as it will on the real ones): what the router's warm-up requests are counted in (io.cutover.proxy.WarmUp).
     */
    public static RouterMetrics detached(MeterRegistry like) {
        MeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (like instanceof CompositeMeterRegistry) {
            own = new CompositeMeterRegistry(Clock.SYSTEM, List.of(own));
        }
        return new RouterMetrics(own);
    }

    RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Backend[] backends = Backend.values();
        for (Route r : new Route[] {Route.OTHER, Route.DEVICES, Route.TELEMETRY}) {
            requests.put(r.tag(), register(r.tag()));
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
        Counter[][] byRoute = requests.get(route.tag());
        if (byRoute == null) {
            byRoute = requests.computeIfAbsent(route.tag(), this::register);
        }
        byRoute[backend.ordinal()][outcome.ordinal()].increment();
    }

    private Counter[][] register(String route) {
        Backend[] backends = Backend.values();
        Outcome[] outcomes = Outcome.values();
        Counter[][] counters = new Counter[backends.length][outcomes.length];
        for (Backend b : backends) {
            for (Outcome o : outcomes) {
                counters[b.ordinal()][o.ordinal()] = Counter.builder(REQUESTS)
                        .description("Proxied requests by route, answering backend and outcome")
                        .tags(TAG_ROUTE, route, TAG_BACKEND, b.id(), TAG_OUTCOME, o.tag())
                        .register(registry);
            }
        }
        return counters;
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
