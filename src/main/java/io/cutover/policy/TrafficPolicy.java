package io.cutover.policy;

import io.cutover.routing.Backend;
import io.cutover.routing.RouteTable;
import java.util.Map;
import java.util.Set;

/**
 * One immutable, validated traffic policy: what the policy file says. Built only by
 * {@link PolicyParser}, swapped whole by {@link PolicyStore}.
 *
 * @param v2Weight    share of sticky keys on V2, 0 to 100, decimals allowed
 * @param v2Buckets   the same as a count of the {@value io.cutover.routing.StickyBuckets#BUCKETS} buckets
 * @param stickyBy    what the bucket is computed from
 * @param stickySalt  mixed into the hash, so that two migrations do not move the same keys first
 * @param pins        tenant -> backend, wins over the weight
 * @param dualWrite   whether writes are also sent to the other side
 * @param shadowReads fraction of reads compared against the other side, 0 to 1
 * @param rollback    when the rollback guard latches
 * @param forcedPins  tenants whose pin to V2 is kept even when their last verify found differences
 *                    ({@code tenants: {acme: {backend: v2, force: true}}})
 * @param progression the steps the weight moves through by itself ({@code null}: none, the weight is
 *                    {@code v2Weight}); with it, {@code v2Weight} is the last step and the weight in force
 *                    is the progression's ({@link io.cutover.routing.V2Weights})
 * @param testers     tenants whose requests may choose their backend with the override header
 * @param routes      the declared route table, compiled ({@code null}: none declared, the router's default is in
 *                    force, {@link io.cutover.routing.RequestClassifier})
 */
public record TrafficPolicy(
        double v2Weight,
        int v2Buckets,
        StickyBy stickyBy,
        String stickySalt,
        Map<String, Backend> pins,
        boolean dualWrite,
        double shadowReads,
        RollbackThresholds rollback,
        Set<String> forcedPins,
        ProgressionPlan progression,
        Set<String> testers,
        RouteTable routes) {

    /** {@value} */
    public static final String DEFAULT_SALT = "cutover";

    /** The policy in force when no file is configured: everything on V1, dual write on. */
    public static final TrafficPolicy DEFAULT = new TrafficPolicy(
            0, 0, StickyBy.TENANT, DEFAULT_SALT, Map.of(), true, 0, RollbackThresholds.DEFAULTS, Set.of(), null, Set.of(), null);

    public TrafficPolicy {
        pins = Map.copyOf(pins);
        forcedPins = Set.copyOf(forcedPins);
        testers = Set.copyOf(testers);
    }

    /** A policy without progression nor testers. */
    public TrafficPolicy(double v2Weight, int v2Buckets, StickyBy stickyBy, String stickySalt, Map<String, Backend> pins,
                         boolean dualWrite, double shadowReads, RollbackThresholds rollback, Set<String> forcedPins) {
        this(v2Weight, v2Buckets, stickyBy, stickySalt, pins, dualWrite, shadowReads, rollback, forcedPins, null, Set.of(), null);
    }

    /** A policy without forced pins. */
    public TrafficPolicy(double v2Weight, int v2Buckets, StickyBy stickyBy, String stickySalt, Map<String, Backend> pins,
                         boolean dualWrite, double shadowReads, RollbackThresholds rollback) {
        this(v2Weight, v2Buckets, stickyBy, stickySalt, pins, dualWrite, shadowReads, rollback, Set.of());
    }

    /** The same policy with {@code tenants} pins left out (refused by the {@link PinGate}). */
    public TrafficPolicy withoutPins(Set<String> tenants) {
        if (tenants.isEmpty()) {
            return this;
        }
        Map<String, Backend> kept = new java.util.HashMap<>(pins);
        kept.keySet().removeAll(tenants);
        return new TrafficPolicy(v2Weight, v2Buckets, stickyBy, stickySalt, kept, dualWrite, shadowReads, rollback,
                forcedPins, progression, testers, routes);
    }
}
