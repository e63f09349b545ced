package io.cutover.rollback;

import io.cutover.policy.RollbackThresholds;
import java.util.Locale;

/**
 * The rule (DESIGN.md, rollback guard), on one series of {@link Evidence}, with the
 * {@link ConfidenceSequence} bounds of each backend's rates at the policy's confidences:
 * <ul>
 *   <li>no V2 request: {@code no-data};</li>
 *   <li>the lowest V2 error rate the evidence leaves possible (at {@code confidence}) above {@code errorRate} and
 *       above the highest V1 error rate it leaves possible plus the V1 margin: {@code error-rate} (latches). Each
 *       bound holds at every look with probability {@code confidence}, so a V2 no worse than its threshold, or than
 *       V1 plus the margin, is latched with probability at most {@code 2 (1 - confidence)} per series of evidence, at
 *       every traffic level and however often the guard looks. Without any V1 request V1 is taken as failing 0 %
 *       (V2 must be shown above the threshold and the margin);</li>
 *   <li>the same on the share of calls slower than {@code p99LatencyMs} (V2's p99 above it means more than 1 % of its
 *       calls are slower), against 1 % and V1's share plus {@code latencyMargin}: {@code p99-latency} (latches);</li>
 *   <li>V2 shown above its thresholds but not worse than V1: {@code degraded} (no latch: both sides fail);</li>
 *   <li>the highest V2 error rate possible at {@code promoteConfidence} under {@code errorRate}, on at least
 *       {@code minRequests} requests, and V2 not shown slow at that confidence: {@code healthy};</li>
 *   <li>else {@code inconclusive}.</li>
 * </ul>
 */
final class Weighing {

    /** V2's p99 is above the latency threshold when more than this share of its calls is slower. */
    static final double SLOW_SHARE = 0.01;
    private static final double MAX_LN_INV_ALPHA = 40;

    private final RollbackThresholds t;
    private final double v1Margin;
    private final ConfidenceSequence errors;
    private final ConfidenceSequence slowness = new ConfidenceSequence(SLOW_SHARE);
    private final double latch;
    private final double promote;
    private final long slowNanos;

    Weighing(RollbackThresholds t, double v1Margin) {
        this.t = t;
        this.v1Margin = v1Margin;
        this.errors = new ConfidenceSequence(t.errorRate());
        this.latch = ConfidenceSequence.lnInvAlpha(t.confidence());
        this.promote = ConfidenceSequence.lnInvAlpha(t.promoteConfidence());
        this.slowNanos = t.p99LatencyMs() * 1_000_000L;
    }

    RollbackThresholds thresholds() {
        return t;
    }

    /** Calls slower than this are slow ({@code p99LatencyMs}). */
    long slowNanos() {
        return slowNanos;
    }

    /**
     * @param explain also work out how sure the evidence makes the guard either way (for status and a latch's
     *                figures; costs a few dozen bound computations)
     */
    Verdict judge(Evidence.Snapshot e, boolean explain) {
        Evidence.Counts v1 = e.v1();
        Evidence.Counts v2 = e.v2();
        double seconds = e.spanNanos() / 1e9;
        if (v2.requests() == 0) {
            return new Verdict(Verdict.Kind.NO_DATA, () -> String.format(Locale.ROOT,
                    "no V2 request reached V2 in the last %.1fs%s: nothing to judge", seconds,
                    v2.shortCircuits() == 0 ? "" : " (" + v2.shortCircuits() + " short-circuited by its open breaker)"),
                    figures(e, explain));
        }
        double rate2 = (double) v2.failures() / v2.requests();
        double low2 = rate2 > t.errorRate() ? errors.lower(v2.failures(), v2.successes(), latch) : 0;
        double high1 = low2 > t.errorRate() ? v1High(v1, latch) : 1;
        if (low2 > t.errorRate() && low2 > high1 + v1Margin) {
            return new Verdict(Verdict.Kind.ERROR_RATE, () -> String.format(Locale.ROOT,
                    "V2 error rate above %.4f and above V1's + %.4f at %s confidence: V2 %d of %d failed (at least %.4f),"
                            + " V1 %s, over %.1fs",
                    t.errorRate(), v1Margin, pct(t.confidence()), v2.failures(), v2.requests(), low2,
                    v1Text(v1, high1), seconds), figures(e, explain));
        }
        double share2 = (double) v2.slow() / v2.requests();
        double slowLow2 = share2 > SLOW_SHARE ? slowness.lower(v2.slow(), v2.fast(), latch) : 0;
        double slowHigh1 = slowLow2 > SLOW_SHARE ? slowHigh(v1, latch) : 1;
        if (slowLow2 > SLOW_SHARE && slowLow2 > slowHigh1 + t.latencyMargin()) {
            return new Verdict(Verdict.Kind.P99_LATENCY, () -> String.format(Locale.ROOT,
                    "V2 p99 above %dms at %s confidence: %d of %d V2 calls slower (at least %.4f > %.2f), V1 %d of %d"
                            + " (at most %.4f, + margin %.4f), over %.1fs",
                    t.p99LatencyMs(), pct(t.confidence()), v2.slow(), v2.requests(), slowLow2, SLOW_SHARE, v1.slow(),
                    v1.requests(), v1.requests() == 0 ? 0 : slowHigh1, t.latencyMargin(), seconds), figures(e, explain));
        }
        if (low2 > t.errorRate() || slowLow2 > SLOW_SHARE) {
            java.util.function.Supplier<String> what = () -> low2 > t.errorRate()
                    ? String.format(Locale.ROOT, "V2 error rate above %.4f (%d of %d failed, at least %.4f) but V1 %s",
                            t.errorRate(), v2.failures(), v2.requests(), low2, v1Text(v1, high1))
                    : String.format(Locale.ROOT, "V2 p99 above %dms (%d of %d slower, at least %.4f) but V1 %d of %d slower"
                            + " (at most %.4f)", t.p99LatencyMs(), v2.slow(), v2.requests(), slowLow2, v1.slow(),
                            v1.requests(), slowHigh1);
            return new Verdict(Verdict.Kind.DEGRADED, () -> String.format(Locale.ROOT,
                    "%s at %s confidence, over %.1fs: V2 is not shown worse than V1 by the margin, so not latched (when V1"
                            + " fails as much, a cause both share: a rollback would not help)", what.get(), pct(t.confidence()), seconds),
                    figures(e, explain));
        }
        double high2 = errors.upper(v2.failures(), v2.successes(), promote);
        boolean slowAtPromote = share2 > SLOW_SHARE && slowness.lower(v2.slow(), v2.fast(), promote) > SLOW_SHARE;
        if (high2 < t.errorRate() && v2.requests() >= t.minRequests() && !slowAtPromote) {
            return new Verdict(Verdict.Kind.HEALTHY, () -> String.format(Locale.ROOT,
                    "V2 error rate under %.4f at %s confidence: %d of %d failed (at most %.4f), over %.1fs",
                    t.errorRate(), pct(t.promoteConfidence()), v2.failures(), v2.requests(), high2, seconds),
                    figures(e, explain));
        }
        java.util.function.Supplier<String> why = () -> slowAtPromote
                ? String.format(Locale.ROOT, "V2 slower than %dms more than 1 %% of the time at %s confidence, not at %s",
                        t.p99LatencyMs(), pct(t.promoteConfidence()), pct(t.confidence()))
                : high2 < t.errorRate()
                ? String.format(Locale.ROOT, "%d V2 requests, rollback.minRequests is %d", v2.requests(), t.minRequests())
                : String.format(Locale.ROOT, "V2 %d of %d failed: its error rate may be up to %.4f (at %s), down to %.4f"
                        + " (at %s)", v2.failures(), v2.requests(), high2, pct(t.promoteConfidence()),
                        errors.lower(v2.failures(), v2.successes(), latch), pct(t.confidence()));
        return new Verdict(Verdict.Kind.INCONCLUSIVE, () -> String.format(Locale.ROOT,
                "not enough evidence yet over %.1fs: %s (threshold %.4f)", seconds, why.get(), t.errorRate()), figures(e, explain));
    }

    /** The evidence as figures: counts, bounds at the latch's confidence, and, if asked, how sure it makes the guard. */
    GuardFigures figures(Evidence.Snapshot e, boolean explain) {
        Evidence.Counts v1 = e.v1();
        Evidence.Counts v2 = e.v2();
        return new GuardFigures(e.spanNanos() / 1_000_000, backend(v1, explain), backend(v2, explain), GuardFigures.TEST,
                t.confidence(), t.promoteConfidence(), explain ? worseConfidence(v1, v2) : 0,
                explain ? healthyConfidence(v2) : 0);
    }

    /** Counts, with the bounds of the error rate at the latch's confidence if {@code explain} (else 0 to 1). */
    WindowFigures backend(Evidence.Counts c, boolean explain) {
        if (c.requests() == 0 || !explain) {
            return new WindowFigures(c.requests(), c.failures(), c.requests() == 0 ? 0 : (double) c.failures() / c.requests(),
                    0, c.slow(), c.shortCircuits(), 0, 1);
        }
        return new WindowFigures(c.requests(), c.failures(), (double) c.failures() / c.requests(), 0, c.slow(),
                c.shortCircuits(), errors.lower(c.failures(), c.successes(), latch),
                errors.upper(c.failures(), c.successes(), latch));
    }

    /** The highest confidence at which the evidence shows V2 worse (error rate, or slowness): 0 if at none. */
    double worseConfidence(Evidence.Counts v1, Evidence.Counts v2) {
        if (v2.requests() == 0) {
            return 0;
        }
        double errorsWorse = reached(x -> {
            double low2 = errors.lower(v2.failures(), v2.successes(), x);
            return low2 > t.errorRate() && low2 > v1High(v1, x) + v1Margin;
        });
        double slowWorse = reached(x -> {
            double low2 = slowness.lower(v2.slow(), v2.fast(), x);
            return low2 > SLOW_SHARE && low2 > slowHigh(v1, x) + t.latencyMargin();
        });
        return ConfidenceSequence.confidenceOf(Math.max(errorsWorse, slowWorse));
    }

    /** The highest confidence at which the evidence shows V2's error rate under its threshold: 0 if at none. */
    double healthyConfidence(Evidence.Counts v2) {
        if (v2.requests() == 0) {
            return 0;
        }
        return ConfidenceSequence.confidenceOf(reached(x -> errors.upper(v2.failures(), v2.successes(), x) < t.errorRate()));
    }

    /** The largest ln(1/alpha) at which {@code holds} (monotone: true up to some level, false above); 0 if none. */
    private static double reached(java.util.function.DoublePredicate holds) {
        double lo = 1e-3;
        if (!holds.test(lo)) {
            return 0;
        }
        double hi = MAX_LN_INV_ALPHA;
        if (holds.test(hi)) {
            return hi;
        }
        for (int i = 0; i < 30; i++) {
            double mid = 0.5 * (lo + hi);
            if (holds.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private double v1High(Evidence.Counts v1, double lnInvAlpha) {
        return v1.requests() == 0 ? 0 : errors.upper(v1.failures(), v1.successes(), lnInvAlpha);
    }

    private double slowHigh(Evidence.Counts v1, double lnInvAlpha) {
        return v1.requests() == 0 ? 0 : slowness.upper(v1.slow(), v1.fast(), lnInvAlpha);
    }

    private static String v1Text(Evidence.Counts v1, double high1) {
        return v1.requests() == 0 ? "had no requests (taken as 0 %)"
                : String.format(Locale.ROOT, "%d of %d failed (at most %.4f)", v1.failures(), v1.requests(), high1);
    }

    static String pct(double confidence) {
        String s = String.format(Locale.ROOT, "%.4f", confidence * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + " %";
    }
}
