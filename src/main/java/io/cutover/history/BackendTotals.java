package io.cutover.history;

/**
 * One backend's counts since the router started, as its meters hold them; two of them a interval apart
 * make a {@link BackendPoint}.
 *
 * @param boundsMs   the latency histogram's bucket upper bounds, ascending
 * @param cumulative per bucket, the calls at or below its bound (Prometheus' cumulative buckets)
 * @param timed      all timed calls (those above the last bound included)
 */
record BackendTotals(long requests, long failures, double[] boundsMs, long[] cumulative, long timed) {

    static final BackendTotals ZERO = new BackendTotals(0, 0, new double[0], new long[0], 0);

    private static final double PERCENTILE = 0.99;

    /**
     * What happened between {@code before} and this. A meter that went backwards (replaced) counts from 0.
     */
    BackendPoint since(BackendTotals before, double seconds) {
        long requests = delta(this.requests, before.requests);
        long failures = Math.min(requests, delta(this.failures, before.failures));
        return new BackendPoint(requests, failures, requests / seconds,
                requests == 0 ? null : (double) failures / requests, p99Since(before));
    }

    private Double p99Since(BackendTotals before) {
        long calls = delta(timed, before.timed);
        if (calls == 0 || boundsMs.length == 0) {
            return null;
        }
        boolean sameBuckets = java.util.Arrays.equals(boundsMs, before.boundsMs);
        long rank = (long) Math.ceil(PERCENTILE * calls);
        for (int i = 0; i < boundsMs.length; i++) {
            long atOrBelow = delta(cumulative[i], sameBuckets ? before.cumulative[i] : 0);
            if (atOrBelow >= rank) {
                return boundsMs[i];
            }
        }
        return boundsMs[boundsMs.length - 1];       // above the histogram's range: its top, as a floor
    }

    private static long delta(long now, long before) {
        return now >= before ? now - before : now;
    }
}
