package io.cutover.progression;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the progression of the V2 weight stands, as one immutable value shared by every replica
 * (row {@code cutover_progression}, id 1). Changed only through {@link Transitions}.
 *
 * @param phase      progressing, waiting-gate, paused, aborted or done
 * @param weight     the current step (a V2 weight)
 * @param stepSince  when the current step began
 * @param cleanSince since when no guard window held the step (the interval counts from the later of the two)
 * @param changedAt  when the phase or the step last changed (how long a gate has been waiting)
 * @param hold       why the step was last held ({@code null} when it never was)
 * @param overdue    whether the step has been held longer than the interval (notified once per step)
 * @param by         who made the last change: {@value #BY_GUARD} or {@code operator@<address>}
 * @param reason     the last change's reason
 * @param version    +1 per change, as kept in the shared row
 */
public record ProgressionState(Phase phase, double weight, Instant stepSince, Instant cleanSince, Instant changedAt,
                               String hold, boolean overdue, String by, String reason, long version) {

    public static final String BY_GUARD = "guard";

    public enum Phase {
        PROGRESSING, WAITING_GATE, PAUSED, ABORTED, DONE;

        private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

        public String tag() {
            return tag;
        }

        public static Phase parse(String tag) {
            for (Phase p : values()) {
                if (p.tag.equals(tag)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("progression phase: " + tag + " (expected: progressing, waiting-gate, paused, aborted or done)");
        }
    }

    public ProgressionState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(stepSince, "stepSince");
        Objects.requireNonNull(cleanSince, "cleanSince");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /** When the current step's interval ends, counting from its last hold. */
    public Instant due(Duration interval) {
        Instant from = cleanSince.isAfter(stepSince) ? cleanSince : stepSince;
        return from.plus(interval);
    }

    ProgressionState with(Phase p, double w, Instant step, Instant clean, Instant changed, String h, boolean o,
                          String who, String why) {
        return new ProgressionState(p, w, step, clean, changed, h, o, who, why, version + 1);
    }
}
