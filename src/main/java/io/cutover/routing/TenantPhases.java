package io.cutover.routing;

/**
 * The seam where a tenant's migration state overrides the policy (weight and pins). Read once per
 * request; the implementation must answer from memory (no I/O, no allocation on the request path).
 */
public interface TenantPhases {

    /** Every tenant follows the policy: no per-tenant state. */
    TenantPhases NONE = tenant -> Phase.FOLLOW_POLICY;

    /** What a tenant's migration state means for routing. */
    enum Phase {
        /** dual-write, backfilled, verified (or no state): the policy decides. */
        FOLLOW_POLICY,
        /** reads-on-v2: reads on V2, writes on V1 (dual write keeps V2 up to date). */
        READS_ON_V2,
        /** writes-on-v2: reads and writes on V2 (V1 kept up to date by dual write). */
        WRITES_ON_V2
    }

    Phase phase(String tenant);
}
