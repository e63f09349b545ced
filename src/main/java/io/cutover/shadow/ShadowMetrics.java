package io.cutover.shadow;

import static io.cutover.observability.MetricNames.SHADOW_COMPARED;
import static io.cutover.observability.MetricNames.SHADOW_MISMATCHED;
import static io.cutover.observability.MetricNames.SHADOW_NOISE;
import static io.cutover.observability.MetricNames.SHADOW_SKIPPED;
import static io.cutover.observability.MetricNames.TAG_PRIMARY;
import static io.cutover.observability.MetricNames.TAG_REASON;
import static io.cutover.observability.MetricNames.TAG_ROUTE;
import static io.cutover.observability.MetricNames.TAG_TENANT;

import io.cutover.routing.Backend;
import io.cutover.routing.RequestKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shadow-read counters: compared, mismatched and noise per route, tenant and primary (so that
 * Prometheus can compute the mismatch rate per route and tenant), and skipped reads per reason.
 * The tenant tag is bounded: the first {@code cutover.shadow.max-tenant-tags} tenants seen are
 * tags of their own, later ones are {@value #OTHER}.
 */
final class ShadowMetrics {

    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final int maxTenants;
    private final Set<String> tenants = ConcurrentHashMap.newKeySet();
    private final Map<String, Figures> figures = new ConcurrentHashMap<>();

    private record Figures(String route, String tenant, LongAdder compared, LongAdder mismatched, LongAdder noise) {
    }

    ShadowMetrics(MeterRegistry registry, int maxTenants) {
        this.registry = registry;
        this.maxTenants = maxTenants;
    }

    void compared(RequestKind.Route route, String tenant, Backend primary, boolean mismatched, boolean noise) {
        String t = tenantTag(tenant);
        String r = route.tag();
        counter(SHADOW_COMPARED, "Shadow reads compared", r, t, primary).increment();
        Figures f = figures.computeIfAbsent(r + '\u001f' + t,
                k -> new Figures(r, t, new LongAdder(), new LongAdder(), new LongAdder()));
        f.compared().increment();
        if (mismatched) {
            counter(SHADOW_MISMATCHED, "Shadow reads whose answers differed beyond the noise", r, t, primary).increment();
            f.mismatched().increment();
        }
        if (noise) {
            counter(SHADOW_NOISE, "Shadow reads where two answers of the primary differed (noise)", r, t, primary).increment();
            f.noise().increment();
        }
    }

    void skipped(String reason) {
        Counter.builder(SHADOW_SKIPPED).description("Sampled reads not compared, by reason")
                .tags(TAG_REASON, reason).register(registry).increment();
    }

    /** This replica's figures per route and tenant since it started. */
    List<ShadowStatus.RouteFigures> figures() {
        List<ShadowStatus.RouteFigures> out = new ArrayList<>(figures.size());
        for (Figures f : figures.values()) {
            long c = f.compared().sum();
            long m = f.mismatched().sum();
            out.add(new ShadowStatus.RouteFigures(f.route(), f.tenant(), c, m, ShadowStatus.rate(m, c), f.noise().sum()));
        }
        return out;
    }

    private String tenantTag(String tenant) {
        if (tenants.contains(tenant)) {
            return tenant;
        }
        if (tenants.size() < maxTenants) {
            tenants.add(tenant);
            return tenant;
        }
        return OTHER;
    }

    private Counter counter(String name, String description, String route, String tenant, Backend primary) {
        return Counter.builder(name).description(description)
                .tags(TAG_ROUTE, route, TAG_TENANT, tenant, TAG_PRIMARY, primary.id()).register(registry);
    }
}
