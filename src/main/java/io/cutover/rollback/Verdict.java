package io.cutover.rollback;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the guard concluded from its evidence ({@link Weighing} says how). Only {@link Kind#ERROR_RATE}
 * and {@link Kind#P99_LATENCY} trip the latch; only {@link Kind#HEALTHY} lets a progression promote.
 * The reason is written when first read (the guard judges four times a second; its words are read
 * far less often).
 */
public final class Verdict {

    private final Kind kind;
    private final GuardFigures figures;
    private Supplier<String> words;
    private String reason;

    /**
     * @param reason  the verdict in words
     * @param figures what the verdict rested on (may be {@code null} in tests of listeners)
     */
    public Verdict(Kind kind, String reason, GuardFigures figures) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.reason = reason;
        this.figures = figures;
    }

    Verdict(Kind kind, Supplier<String> words, GuardFigures figures) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.words = words;
        this.figures = figures;
    }

    public Kind kind() {
        return kind;
    }

    public synchronized String reason() {
        if (words != null) {
            reason = words.get();
            words = null;
        }
        return reason;
    }

    public GuardFigures figures() {
        return figures;
    }

    @Override
    public String toString() {
        return "Verdict[kind=" + kind.tag() + ", reason=" + reason() + ", figures=" + figures + "]";
    }

    public enum Kind {
        /** No V2 request reached V2 within the horizon: nothing is known, nothing is zero. */
        NO_DATA,
        /** Evidence, but not yet enough to say V2 is worse or healthy at the configured confidences. */
        INCONCLUSIVE,
        /** V2's error rate shown under its threshold (and V2 not shown slow). */
        HEALTHY,
        /** V2 shown above its threshold, but not worse than V1 by the margin (both failing: a shared cause). */
        DEGRADED,
        /** V2's error rate shown above its threshold and above V1's plus the margin: latches. */
        ERROR_RATE,
        /** V2's calls shown slower than {@code p99LatencyMs} more than 1 % of the time, and more than V1's: latches. */
        P99_LATENCY;

        private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

        public String tag() {
            return tag;
        }

        public boolean trips() {
            return this == ERROR_RATE || this == P99_LATENCY;
        }

        /** Whether V2 could be judged at all (evidence enough for some conclusion). */
        public boolean conclusive() {
            return this != NO_DATA && this != INCONCLUSIVE;
        }

        /** More severe first: what two series of evidence conclude together is the more severe of their verdicts. */
        int severity() {
            return switch (this) {
                case ERROR_RATE -> 5;
                case P99_LATENCY -> 4;
                case DEGRADED -> 3;
                case HEALTHY -> 2;
                case INCONCLUSIVE -> 1;
                case NO_DATA -> 0;
            };
        }
    }
}
