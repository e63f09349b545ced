package io.cutover.progression;

import io.cutover.policy.ProgressionPlan;
import io.cutover.policy.TrafficPolicy;
import io.cutover.progression.ProgressionState.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The progression as {@code GET /admin/progression} and the {@code progression} object of
 * {@code /admin/status} show it: the steps as a timeline, the current one with when its interval
 * ends or why it holds.
 *
 * @param enabled     whether the policy has a progression (false: the weight is {@code v2Weight})
 * @param phase       progressing, waiting-gate, paused, aborted, done, or not-started
 * @param weight      the weight in force by the progression (0 when aborted), latch aside
 * @param step        1-based position of the current step, 0 when none
 * @param steps       every step: done, current, next or later, and whether it is a manual gate
 * @param intervalMs  each step's interval
 * @param due         when the current step's interval ends (if every window stays healthy)
 * @param hold        why the step last held, or what it waits for
 * @param now         the router's clock, to compute time left
 */
public record ProgressionView(boolean enabled, String phase, double weight, int step, List<Step> steps, Long intervalMs,
                              Instant stepSince, Instant due, Instant changedAt, String hold, boolean overdue, String by,
                              String reason, long version, Instant now) {

    /** One step of the timeline. */
    public record Step(double weight, String status, boolean gate) {
    }

    static final ProgressionView DISABLED = new ProgressionView(false, null, 0, 0, List.of(), null, null, null, null, null,
            false, null, null, 0, null);

    static ProgressionView of(TrafficPolicy policy, ProgressionState s, double weightInForce, Instant now) {
        ProgressionPlan plan = policy.progression();
        if (plan == null) {
            return DISABLED;
        }
        double current = s == null ? -1 : plan.stepAtOrBelow(s.weight());
        double next = s == null ? plan.first() : plan.nextAbove(current);
        boolean done = s != null && s.phase() == Phase.DONE;
        List<Step> steps = new ArrayList<>();
        for (double w : plan.steps()) {
            String status = w == current ? (done ? "done" : "current") : w < current ? "done" : w == next ? "next" : "later";
            steps.add(new Step(w, status, plan.gated(w)));
        }
        if (s == null) {
            return new ProgressionView(true, "not-started", weightInForce, 0, steps, plan.interval().toMillis(), null, null,
                    null, null, false, null, null, 0, now);
        }
        return new ProgressionView(true, s.phase().tag(), weightInForce, plan.position(current), steps,
                plan.interval().toMillis(), s.stepSince(), s.phase() == Phase.PROGRESSING ? s.due(plan.interval()) : null,
                s.changedAt(), s.hold(), s.overdue(), s.by(), s.reason(), s.version(), now);
    }
}
