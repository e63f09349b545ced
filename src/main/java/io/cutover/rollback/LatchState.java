package io.cutover.rollback;

import java.time.Instant;
import java.util.Objects;

/**
 * The rollback latch as one immutable value. Legal transitions, and only these:
 * <pre>
 *   ARMED   --trip (guard) / latchByHand (operator)-->  LATCHED
 *   LATCHED --release (operator)----------------------> ARMED
 * </pre>
 * A policy reload is not a transition: nothing but {@link #release} ends a latch.
 *
 * @param state   armed (routing follows the policy) or latched (everything on V1)
 * @param cause   what made the last change: {@code error-rate}, {@code p99-latency}, {@code operator},
 *                {@code release}, {@code initial}
 * @param reason  the guard's finding or the operator's words
 * @param figures the guard's window when the state last changed ({@code null} on release)
 * @param since   when the state last changed (wall clock)
 * @param by      who changed it: {@value #BY_GUARD} or {@code operator@<client address>}
 * @param version +1 per change, as kept in the shared store
 */
public record LatchState(State state, String cause, String reason, GuardFigures figures, Instant since, String by,
                         long version) {

    public enum State { ARMED, LATCHED }

    public static final String BY_GUARD = "guard";
    public static final String CAUSE_OPERATOR = "operator";
    public static final String CAUSE_RELEASE = "release";

    public LatchState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    public static LatchState initial(Instant at) {
        return new LatchState(State.ARMED, "initial", null, null, at, "initial", 0);
    }

    public boolean latched() {
        return state == State.LATCHED;
    }

    /** armed -> latched, by the guard. */
    LatchState trip(Verdict verdict, Instant at) {
        if (!verdict.kind().trips()) {
            throw new IllegalArgumentException("verdict " + verdict.kind().tag() + " does not trip the latch");
        }
        return to(State.LATCHED, verdict.kind().tag(), verdict.reason(), verdict.figures(), at, BY_GUARD);
    }

    /** armed -> latched, by a person. */
    LatchState latchByHand(String reason, String who, GuardFigures figures, Instant at) {
        return to(State.LATCHED, CAUSE_OPERATOR, reason, figures, at, who);
    }

    /** latched -> armed, by a person. */
    LatchState release(String reason, String who, Instant at) {
        return to(State.ARMED, CAUSE_RELEASE, reason, null, at, who);
    }

    private LatchState to(State target, String cause, String reason, GuardFigures figures, Instant at, String who) {
        if (state == target) {
            throw new IllegalStateException("latch is already " + state + " (expected: " + (target == State.LATCHED ? State.ARMED : State.LATCHED) + ")");
        }
        return new LatchState(target, cause, reason, figures, at, who, version + 1);
    }
}
