package io.cutover.override;

import io.cutover.observability.MetricNames;
import io.cutover.policy.TrafficPolicy;
import io.cutover.routing.Backend;
import io.cutover.routing.RequestKind;
import io.cutover.routing.RoutingDecision;
import io.cutover.tenant.TenantResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The testers' override header: {@code X-Cutover-Route: v2} sends the request to V2 whatever the weight, pin or
 * tenant state, but only for a trusted caller (an API key marked {@code tester: true}, or a tenant of the policy's
 * {@code testers}). The rollback latch still wins, a path that does not migrate stays on V1, and dual write still
 * applies (the decision flows on as any other). The header never reaches a backend; an untrusted caller's is
 * stripped and counted ({@value MetricNames#ROUTING_OVERRIDES}{@code {result=stripped}}).
 */
@Singleton
public class TesterOverride {

    private static final Logger LOG = Logger.getLogger(TesterOverride.class);
    private static final RoutingDecision TO_V1 = new RoutingDecision(Backend.V1, RoutingDecision.Reason.OVERRIDE);
    private static final RoutingDecision TO_V2 = new RoutingDecision(Backend.V2, RoutingDecision.Reason.OVERRIDE);

    private final String header;
    private final TenantResolver tenants;
    private final Counter applied;
    private final Counter stripped;
    private final Counter invalid;
    private final Counter ignored;

    TesterOverride(OverrideConfig config, TenantResolver tenants, MeterRegistry registry) {
        this.header = config.overrideHeader().filter(h -> !h.isBlank()).map(String::trim).orElse(null);
        this.tenants = tenants;
        this.applied = registry.counter(MetricNames.ROUTING_OVERRIDES, MetricNames.TAG_RESULT, "applied");
        this.stripped = registry.counter(MetricNames.ROUTING_OVERRIDES, MetricNames.TAG_RESULT, "stripped");
        this.invalid = registry.counter(MetricNames.ROUTING_OVERRIDES, MetricNames.TAG_RESULT, "invalid");
        this.ignored = registry.counter(MetricNames.ROUTING_OVERRIDES, MetricNames.TAG_RESULT, "ignored");
    }

    /** The override header's name, when one is configured: it never reaches a backend, in any spelling. */
    public java.util.Optional<String> header() {
        return java.util.Optional.ofNullable(header);
    }

    /**
     * The decision for this request: {@code decided}, or the override's side for a trusted caller. Removes the
     * header from {@code towardsBackends}.
     */
    public RoutingDecision apply(RoutingDecision decided, TrafficPolicy policy, RequestKind kind, String tenant,
                                 MultiMap fromClient, MultiMap towardsBackends) {
        if (header == null) {
            return decided;
        }
        String value = fromClient.get(header);
        if (value == null) {
            return decided;
        }
        towardsBackends.remove(header);
        if (!policy.testers().contains(tenant) && !tenants.isTesterKey(fromClient)) {
            stripped.increment();
            LOG.debugf("override header %s from tenant %s stripped: not a tester", header, tenant);
            return decided;
        }
        Backend side = Backend.parse(value);
        if (side == null) {
            invalid.increment();
            return decided;
        }
        if (!kind.migrating() || decided.reason() == RoutingDecision.Reason.ROLLBACK) {
            ignored.increment();
            return decided;
        }
        applied.increment();
        return side == Backend.V2 ? TO_V2 : TO_V1;
    }
}
