package io.cutover.rollback;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One backend's calls over the last seconds: a ring of one-second slots, each holding the number of
 * calls, of failures and a fixed-bucket latency histogram (HdrHistogram-like: 8 sub-buckets per
 * power of two of microseconds, so a percentile is known within 12.5%). Recording is a few atomic
 * increments and allocates nothing; it never keeps a sample. A slot is cleared when its second comes
 * round again; a call recorded by another event loop during that clear may be lost, which is fine
 * for a rate over tens of seconds.
 */
final class CallWindow {

    static final long SLOT_NANOS = 1_000_000_000L;
    /** The longest window that can be evaluated: {@value} one-second slots. */
    static final int SLOTS = 600;
    static final Duration MAX_WINDOW = Duration.ofSeconds(SLOTS);

    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 26;     // latencies are clamped to 2^27 µs, about 134 s
    static final int BINS = SUB + (MAX_EXPONENT - SUB_BITS + 1) * SUB;
    private static final long MAX_MICROS = (1L << (MAX_EXPONENT + 1)) - 1;

    private static final int REQUESTS = 0;
    private static final int FAILURES = 1;
    private static final int HISTOGRAM = 2;
    private static final int STRIDE = HISTOGRAM + BINS;

    private final AtomicLongArray epochs = new AtomicLongArray(SLOTS);
    private final AtomicLongArray cells = new AtomicLongArray(SLOTS * STRIDE);

    CallWindow() {
        reset();
    }

    /** @param latencyNanos negative for a call that was not sent: counted, but not in the latencies */
    void record(boolean failure, long latencyNanos, long nowNanos) {
        long second = Math.floorDiv(nowNanos, SLOT_NANOS);
        int slot = (int) Math.floorMod(second, SLOTS);
        long epoch = epochs.get(slot);
        if (epoch != second) {
            if (epoch > second) {
                return;
            }
            if (epochs.compareAndSet(slot, epoch, second)) {
                clear(slot);
            }
        }
        int base = slot * STRIDE;
        cells.incrementAndGet(base + REQUESTS);
        if (failure) {
            cells.incrementAndGet(base + FAILURES);
        }
        if (latencyNanos >= 0) {
            cells.incrementAndGet(base + HISTOGRAM + bin(latencyNanos / 1000));
        }
    }

    /** The figures of the {@code window} ending now (the current, partial second included). */
    WindowFigures figures(long nowNanos, Duration window) {
        long second = Math.floorDiv(nowNanos, SLOT_NANOS);
        int slots = slotsOf(window);
        long requests = 0;
        long failures = 0;
        long timed = 0;
        long[] histogram = new long[BINS];
        for (int k = 0; k < slots; k++) {
            long s = second - k;
            int slot = (int) Math.floorMod(s, SLOTS);
            if (epochs.get(slot) != s) {
                continue;
            }
            int base = slot * STRIDE;
            requests += cells.get(base + REQUESTS);
            failures += cells.get(base + FAILURES);
            for (int b = 0; b < BINS; b++) {
                long n = cells.get(base + HISTOGRAM + b);
                histogram[b] += n;
                timed += n;
            }
        }
        return WindowFigures.of(requests, failures, percentileMillis(histogram, timed, 0.99));
    }

    /** Forgets every call. */
    void reset() {
        for (int i = 0; i < SLOTS; i++) {
            epochs.set(i, Long.MIN_VALUE);
        }
    }

    static int slotsOf(Duration window) {
        long seconds = (window.toNanos() + SLOT_NANOS - 1) / SLOT_NANOS;
        return (int) Math.max(1, Math.min(SLOTS, seconds));
    }

    private void clear(int slot) {
        int base = slot * STRIDE;
        for (int i = 0; i < STRIDE; i++) {
            cells.set(base + i, 0);
        }
    }

    static int bin(long micros) {
        long v = Math.max(0, Math.min(MAX_MICROS, micros));
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >> (exponent - SUB_BITS)) & (SUB - 1));
        return SUB + (exponent - SUB_BITS) * SUB + sub;
    }

    /** The highest latency (µs) that falls in {@code bin}, as HdrHistogram reports a percentile. */
    static long upperMicros(int bin) {
        if (bin < SUB) {
            return bin;
        }
        int exponent = (bin - SUB) / SUB + SUB_BITS;
        int sub = (bin - SUB) % SUB;
        long lower = (long) (SUB + sub) << (exponent - SUB_BITS);
        return lower + (1L << (exponent - SUB_BITS)) - 1;
    }

    private static double percentileMillis(long[] histogram, long count, double percentile) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile * count);
        long seen = 0;
        for (int b = 0; b < histogram.length; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return upperMicros(b) / 1000.0;
            }
        }
        return upperMicros(histogram.length - 1) / 1000.0;
    }
}
