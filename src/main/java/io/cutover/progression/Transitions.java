package io.cutover.progression;

import io.cutover.policy.ProgressionPlan;
import io.cutover.progression.ProgressionState.Phase;
import io.cutover.rollback.Verdict;
import java.time.Duration;
import java.time.Instant;

/**
 * The legal moves of a {@link ProgressionState}, and only these (pure: the caller writes the result):
 * <pre>
 *   progressing  --interval of healthy windows--> progressing (next step) | waiting-gate (next is a gate) | done (last)
 *   progressing  --a window not healthy---------> progressing (held: the interval starts again)
 *   progressing | waiting-gate --promote (operator)--> the next step
 *   progressing | waiting-gate --pause---------------> paused --resume--> progressing (the interval starts again)
 *   any but aborted --the rollback latch------------> aborted --restart (operator, latch released)--> the first step
 * </pre>
 */
final class Transitions {

    /** What happened, for the notifications and the metrics. */
    enum Event {
        STARTED, PROMOTED, HELD, OVERDUE, GATE_WAITING, DONE, PROMOTED_BY_OPERATOR, PAUSED, RESUMED, ABORTED, RESTARTED,
        STEPS_CHANGED
    }

    /** A move: the state after it and what it was. */
    record Move(ProgressionState next, Event event) {
    }

    /** An operator's request: the move, or why it is refused. */
    record Asked(Move move, String refused) {
        static Asked refuse(String why) {
            return new Asked(null, why);
        }
    }

    private Transitions() {
    }

    static ProgressionState initial(ProgressionPlan plan, Instant now, String who, String why) {
        double w = plan.first();
        Phase phase = plan.nextAbove(w) < 0 ? Phase.DONE : Phase.PROGRESSING;
        return new ProgressionState(phase, w, now, now, now, null, false, who, why, 0);
    }

    /**
     * One window's verdict. Not healthy: the step holds and its interval starts again (shared at a
     * resolution of {@code resolution}: a hold within it of the last written one changes nothing,
     * the caller keeps the exact time locally). Healthy over the whole interval: the next step.
     *
     * @param lastLocalHold the last hold this replica saw, exactly (may be later than the state's)
     */
    static Move verdict(ProgressionPlan plan, ProgressionState s, Verdict.Kind kind, String why, Instant now,
                        Instant lastLocalHold, Duration resolution) {
        if (s.phase() != Phase.PROGRESSING) {
            return null;
        }
        Duration interval = plan.interval();
        if (kind != Verdict.Kind.HEALTHY) {
            boolean overdue = !s.overdue() && now.isAfter(s.stepSince().plus(interval));
            if (!overdue && Duration.between(s.cleanSince(), now).compareTo(resolution) < 0) {
                return null;
            }
            String hold = kind.tag() + ": " + why;
            return new Move(s.with(Phase.PROGRESSING, s.weight(), s.stepSince(), now, s.changedAt(), hold,
                    s.overdue() || overdue, s.by(), s.reason()), overdue ? Event.OVERDUE : Event.HELD);
        }
        Instant due = s.due(interval);
        if (lastLocalHold != null && lastLocalHold.plus(interval).isAfter(due)) {
            due = lastLocalHold.plus(interval);
        }
        if (now.isBefore(due)) {
            return null;
        }
        double next = plan.nextAbove(s.weight());
        if (next < 0) {
            return new Move(s.with(Phase.DONE, s.weight(), s.stepSince(), s.cleanSince(), now, s.hold(), false,
                    ProgressionState.BY_GUARD, "last step reached"), Event.DONE);
        }
        if (plan.gated(next)) {
            return new Move(s.with(Phase.WAITING_GATE, s.weight(), s.stepSince(), s.cleanSince(), now,
                    "waiting for an operator: " + fmt(next) + "% is a manual gate", false, ProgressionState.BY_GUARD,
                    "healthy for " + interval + ", next step is gated"), Event.GATE_WAITING);
        }
        return step(plan, s, next, now, ProgressionState.BY_GUARD, "healthy for " + interval, Event.PROMOTED);
    }

    static Asked promote(ProgressionPlan plan, ProgressionState s, Instant now, String who, String why) {
        if (s.phase() != Phase.PROGRESSING && s.phase() != Phase.WAITING_GATE) {
            return Asked.refuse("progression is " + s.phase().tag() + " (expected: progressing or waiting-gate"
                    + switch (s.phase()) {
                        case PAUSED -> "; resume it first)";
                        case ABORTED -> "; restart it after releasing the rollback latch)";
                        default -> ")";
                    });
        }
        double next = plan.nextAbove(s.weight());
        if (next < 0) {
            return Asked.refuse("no step above " + fmt(s.weight()) + "%");
        }
        return new Asked(step(plan, s, next, now, who, why, Event.PROMOTED_BY_OPERATOR), null);
    }

    static Asked pause(ProgressionState s, Instant now, String who, String why) {
        if (s.phase() != Phase.PROGRESSING && s.phase() != Phase.WAITING_GATE) {
            return Asked.refuse("progression is " + s.phase().tag() + " (expected: progressing or waiting-gate)");
        }
        return new Asked(new Move(s.with(Phase.PAUSED, s.weight(), s.stepSince(), s.cleanSince(), now,
                "paused by " + who + ": " + why, s.overdue(), who, why), Event.PAUSED), null);
    }

    static Asked resume(ProgressionState s, Instant now, String who, String why) {
        if (s.phase() != Phase.PAUSED) {
            return Asked.refuse("progression is " + s.phase().tag() + " (expected: paused)");
        }
        return new Asked(new Move(s.with(Phase.PROGRESSING, s.weight(), s.stepSince(), now, now, s.hold(), s.overdue(),
                who, why), Event.RESUMED), null);
    }

    static Asked restart(ProgressionPlan plan, ProgressionState s, Instant now, String who, String why) {
        if (s.phase() != Phase.ABORTED) {
            return Asked.refuse("progression is " + s.phase().tag() + " (expected: aborted)");
        }
        ProgressionState first = initial(plan, now, who, why);
        return new Asked(new Move(s.with(first.phase(), first.weight(), now, now, now, null, false, who, why),
                Event.RESTARTED), null);
    }

    static Move abort(ProgressionState s, Instant now, String latchReason) {
        if (s.phase() == Phase.ABORTED) {
            return null;
        }
        return new Move(s.with(Phase.ABORTED, s.weight(), s.stepSince(), s.cleanSince(), now,
                "rollback latched: " + latchReason, s.overdue(), ProgressionState.BY_GUARD, "rollback latched"), Event.ABORTED);
    }

    /**
     * The policy's steps changed: continue from the highest step not above the current weight (never up), and
     * adjust the phase to the new steps (done, gate).
     */
    static Move reconcile(ProgressionPlan plan, ProgressionState s, Instant now) {
        if (s.phase() == Phase.ABORTED || s.phase() == Phase.PAUSED) {
            return plan.stepAtOrBelow(s.weight()) == s.weight() ? null
                    : new Move(s.with(s.phase(), plan.stepAtOrBelow(s.weight()), now, now, now, s.hold(), false, s.by(),
                            "steps changed"), Event.STEPS_CHANGED);
        }
        double w = plan.stepAtOrBelow(s.weight());
        double next = plan.nextAbove(w);
        Phase phase = next < 0 ? Phase.DONE
                : s.phase() == Phase.WAITING_GATE && plan.gated(next) && w == s.weight() ? Phase.WAITING_GATE
                : Phase.PROGRESSING;
        if (w == s.weight() && phase == s.phase()) {
            return null;
        }
        boolean newStep = w != s.weight();
        return new Move(s.with(phase, w, newStep ? now : s.stepSince(), newStep ? now : s.cleanSince(), now, s.hold(),
                newStep ? false : s.overdue(), ProgressionState.BY_GUARD, "steps changed"), Event.STEPS_CHANGED);
    }

    private static Move step(ProgressionPlan plan, ProgressionState s, double next, Instant now, String who, String why,
                             Event event) {
        Phase phase = plan.nextAbove(next) < 0 ? Phase.DONE : Phase.PROGRESSING;
        return new Move(s.with(phase, next, now, now, now, null, false, who, why), event);
    }

    static String fmt(double weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Double.toString(weight);
    }
}
