package io.cutover.routing;

import io.cutover.policy.TrafficPolicy;

/**
 * The seam where the progression sets the V2 weight: the policy's {@code v2Weight}, or the current
 * step of its {@code progression}. Read once per request; the implementation must answer from
 * memory (no I/O, no allocation on the request path). The rollback latch is applied by the router,
 * not here.
 */
public interface V2Weights {

    /** No progression: the policy's weight. */
    V2Weights POLICY = new V2Weights() {
        @Override
        public double v2Weight(TrafficPolicy policy) {
            return policy.v2Weight();
        }

        @Override
        public int v2Buckets(TrafficPolicy policy) {
            return policy.v2Buckets();
        }
    };

    /** The V2 weight in force under {@code policy}, latch aside (0 to 100). */
    double v2Weight(TrafficPolicy policy);

    /** The same as a count of the {@value StickyBuckets#BUCKETS} buckets. */
    default int v2Buckets(TrafficPolicy policy) {
        return StickyBuckets.bucketsFor(v2Weight(policy));
    }
}
