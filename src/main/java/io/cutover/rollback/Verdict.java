package io.cutover.rollback;

import io.cutover.policy.RollbackThresholds;
import java.util.Locale;

/**
 * What the guard concluded from one window. Only {@link Kind#ERROR_RATE} and
 * {@link Kind#P99_LATENCY} trip the latch; too few V2 requests is {@link Kind#INCONCLUSIVE}.
 */
public record Verdict(Kind kind, String reason, GuardFigures figures) {

    public enum Kind {
        INCONCLUSIVE, HEALTHY, ERROR_RATE, P99_LATENCY;

        private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

        public String tag() {
            return tag;
        }

        public boolean trips() {
            return this == ERROR_RATE || this == P99_LATENCY;
        }
    }

    /**
     * The rule (DESIGN.md, rollback guard): over the window, with at least {@code minRequests} V2
     * requests, V2's error rate above {@code errorRate} and above V1's by more than
     * {@code v1Margin} (so that a V1 outage does not count against V2), or V2's p99 above
     * {@code p99LatencyMs}.
     */
    static Verdict judge(RollbackThresholds t, double v1Margin, GuardFigures f) {
        WindowFigures v1 = f.v1();
        WindowFigures v2 = f.v2();
        if (v2.requests() < t.minRequests()) {
            return new Verdict(Kind.INCONCLUSIVE, String.format(Locale.ROOT,
                    "%d V2 requests in %dms (need %d)", v2.requests(), f.windowMs(), t.minRequests()), f);
        }
        if (v2.errorRate() > t.errorRate() && v2.errorRate() - v1.errorRate() > v1Margin) {
            return new Verdict(Kind.ERROR_RATE, String.format(Locale.ROOT,
                    "V2 error rate %.4f > %.4f (V1 %.4f, margin %.4f) over %dms, %d V2 requests",
                    v2.errorRate(), t.errorRate(), v1.errorRate(), v1Margin, f.windowMs(), v2.requests()), f);
        }
        if (v2.p99Ms() > t.p99LatencyMs()) {
            return new Verdict(Kind.P99_LATENCY, String.format(Locale.ROOT,
                    "V2 p99 %.1fms > %dms over %dms, %d V2 requests",
                    v2.p99Ms(), t.p99LatencyMs(), f.windowMs(), v2.requests()), f);
        }
        return new Verdict(Kind.HEALTHY, "within thresholds", f);
    }
}
