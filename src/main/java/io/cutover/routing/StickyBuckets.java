package io.cutover.routing;

/**
 * Sticky buckets: a stable hash of a salt and a sticky key into {@value #BUCKETS} buckets. V2 holds
 * the lowest buckets, so a key is on V2 when its bucket is below the weight's bucket count: raising
 * the weight only adds buckets to V2 and never moves a key back to V1.
 *
 * <p>The hash is FNV-1a (64 bit) over the UTF-16 code units of salt, a separator and key, finished
 * with MurmurHash3's fmix64 so that similar keys ({@code tenant-1}, {@code tenant-2}) spread evenly.
 * It allocates nothing and is the same on every JVM and every replica.
 */
public final class StickyBuckets {

    /** {@value} */
    public static final int BUCKETS = 10_000;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StickyBuckets() {
    }

    /** The bucket, 0 to {@value #BUCKETS} - 1, of a key under a salt. */
    public static int bucket(String salt, String key) {
        long h = FNV_OFFSET;
        h = mix(h, salt);
        h = (h ^ 0x1F) * FNV_PRIME; // unit separator: ("ab","c") and ("a","bc") differ
        h = mix(h, key);
        return (int) Long.remainderUnsigned(fmix64(h), BUCKETS);
    }

    /** How many buckets a weight of 0 to 100 (decimals allowed) gives V2. */
    public static int bucketsFor(double v2Weight) {
        return (int) Math.round(v2Weight * BUCKETS / 100.0);
    }

    private static long mix(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb93fe53d1a85L;
        k ^= k >>> 33;
        return k;
    }
}
