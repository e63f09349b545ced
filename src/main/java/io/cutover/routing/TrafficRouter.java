package io.cutover.routing;

import io.cutover.policy.StickyBy;
import io.cutover.policy.TrafficPolicy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Decides the primary backend of one request (DESIGN.md, step 2): the rollback latch, then the
 * tenant's migration state ({@code reads-on-v2}, {@code writes-on-v2}), then the tenant's pin, then
 * the sticky bucket against the weight in force ({@link V2Weights}: the policy's, or its progression's step). Paths that do not migrate go to V1.
 * Pure and allocation-free; the caller reads the policy snapshot once per request and passes it.
 */
public final class TrafficRouter {

    private final RollbackLatch latch;
    private final TenantPhases phases;
    private final V2Weights weights;

    public TrafficRouter(RollbackLatch latch) {
        this(latch, TenantPhases.NONE);
    }

    public TrafficRouter(RollbackLatch latch, TenantPhases phases) {
        this(latch, phases, V2Weights.POLICY);
    }

    public TrafficRouter(RollbackLatch latch, TenantPhases phases, V2Weights weights) {
        this.latch = latch;
        this.phases = phases;
        this.weights = weights;
    }

    /** The V2 weight in force: 0 while the rollback is latched, else the policy's or its progression's step. */
    public double effectiveV2Weight(TrafficPolicy policy) {
        return latch.isLatched() ? 0 : weights.v2Weight(policy);
    }

    /**
     * @param headers looks up a request header by name ({@code null} when absent), for
     *                {@code stickyBy: header:<Name>}
     */
    public RoutingDecision decide(TrafficPolicy policy, RequestKind kind, String tenant, UnaryOperator<String> headers) {
        if (!kind.migrating()) {
            return RoutingDecision.NOT_MIGRATING_V1;
        }
        if (latch.isLatched()) {
            return RoutingDecision.ROLLBACK_V1;
        }
        switch (phases.phase(tenant)) {
            case WRITES_ON_V2:
                return RoutingDecision.TENANT_STATE_V2;
            case READS_ON_V2:
                return kind.write() ? RoutingDecision.TENANT_STATE_V1 : RoutingDecision.TENANT_STATE_V2;
            default:
                break;
        }
        Backend pin = policy.pins().get(tenant);
        if (pin != null) {
            return pin == Backend.V2 ? RoutingDecision.PIN_V2 : RoutingDecision.PIN_V1;
        }
        int v2Buckets = weights.v2Buckets(policy);
        if (v2Buckets <= 0) {
            return RoutingDecision.WEIGHT_V1;
        }
        if (v2Buckets >= StickyBuckets.BUCKETS) {
            return RoutingDecision.WEIGHT_V2;
        }
        int bucket = bucket(policy, kind, tenant, headers);
        return bucket < v2Buckets ? RoutingDecision.WEIGHT_V2 : RoutingDecision.WEIGHT_V1;
    }

    private static int bucket(TrafficPolicy policy, RequestKind kind, String tenant, UnaryOperator<String> headers) {
        StickyBy by = policy.stickyBy();
        String key = switch (by.kind()) {
            case RANDOM -> null;
            case TENANT -> tenant;
            case DEVICE -> kind.entityId() != null ? kind.entityId() : tenant;
            case HEADER -> {
                String v = headers.apply(by.header());
                yield v != null ? v : tenant;
            }
        };
        return key == null
                ? ThreadLocalRandom.current().nextInt(StickyBuckets.BUCKETS)
                : StickyBuckets.bucket(policy.stickySalt(), key);
    }
}
