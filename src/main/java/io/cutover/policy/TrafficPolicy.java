package io.cutover.policy;

import io.cutover.routing.Backend;
import java.util.Map;

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
 */
public record TrafficPolicy(
        double v2Weight,
        int v2Buckets,
        StickyBy stickyBy,
        String stickySalt,
        Map<String, Backend> pins,
        boolean dualWrite,
        double shadowReads,
        RollbackThresholds rollback) {

    /** {@value} */
    public static final String DEFAULT_SALT = "cutover";

    /** The policy in force when no file is configured: everything on V1, dual write on. */
    public static final TrafficPolicy DEFAULT = new TrafficPolicy(
            0, 0, StickyBy.TENANT, DEFAULT_SALT, Map.of(), true, 0, RollbackThresholds.DEFAULTS);

    public TrafficPolicy {
        pins = Map.copyOf(pins);
    }
}
