package io.cutover.shadow;

import io.cutover.routing.RequestKind;
import io.cutover.routing.StickyBuckets;

/**
 * Which reads are shadowed: the read's key (route, tenant, path and query) is hashed into the
 * sticky buckets with the policy's salt, and a read is sampled when its bucket is below
 * {@code shadowReads x} {@value StickyBuckets#BUCKETS}. The same read is sampled every time (so the
 * same keys are compared run after run), and raising the rate only adds keys.
 */
public final class ShadowSampler {

    private ShadowSampler() {
    }

    public static boolean sampled(double rate, String salt, RequestKind.Route route, String tenant, String uri) {
        if (rate <= 0) {
            return false;
        }
        if (rate >= 1) {
            return true;
        }
        int bucket = StickyBuckets.bucket(salt + "/shadow", route.tag() + '\u001f' + tenant + '\u001f' + uri);
        return bucket < (int) Math.round(rate * StickyBuckets.BUCKETS);
    }
}
