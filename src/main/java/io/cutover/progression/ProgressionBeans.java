package io.cutover.progression;

import io.cutover.database.RouterDatabase;
import io.cutover.notify.Notice;
import io.cutover.notify.Notifier;
import io.cutover.observability.MetricNames;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.ProgressionPlan;
import io.cutover.progression.ProgressionState.Phase;
import io.cutover.progression.Transitions.Event;
import io.cutover.progression.Transitions.Move;
import io.cutover.rollback.RollbackGuard;
import io.cutover.rollback.SharedLatch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

/** Builds this replica's {@link Progression}, feeds it the guard's verdicts, and tells its moves (metrics, notifications). */
@ApplicationScoped
class ProgressionBeans {

    @Produces
    @Singleton
    Progression progression(PolicyStore policies, SharedLatch latch, Clock clock, ProgressionConfig config,
                            RollbackGuard guard, MeterRegistry registry, Notifier notifier) {
        Progression[] self = new Progression[1];
        Progression p = Progression.of(policies, latch, clock, config, (move, before) -> told(move, before,
                self[0].plan(), registry, notifier, clock));
        self[0] = p;
        guard.addVerdictListener(p::onVerdict);
        for (String r : new String[] {"promoted", "operator", "held", "gate-waiting", "aborted"}) {
            registry.counter(MetricNames.PROGRESSION_PROMOTIONS, MetricNames.TAG_RESULT, r);
        }
        Gauge.builder(MetricNames.PROGRESSION_STEP, () -> {
            ProgressionState s = p.state();
            ProgressionPlan plan = p.plan();
            return s == null || plan == null || s.phase() == Phase.ABORTED ? 0 : plan.position(plan.stepAtOrBelow(s.weight()));
        }).description("The current step of the progression, 1-based (0: none, or aborted)").register(registry);
        for (Phase ph : Phase.values()) {
            Gauge.builder(MetricNames.PROGRESSION_STATE, () -> p.plan() != null && p.state() != null && p.state().phase() == ph ? 1 : 0)
                    .tag(MetricNames.TAG_STATE, ph.tag()).register(registry);
        }
        Gauge.builder(MetricNames.PROGRESSION_STATE_AGE, () -> {
            ProgressionState s = p.state();
            return s == null ? 0 : Math.max(0, Duration.between(s.changedAt(), clock.instant()).toSeconds());
        }).description("Seconds since the progression's phase or step last changed").register(registry);
        return p;
    }

    void start(@Observes @Priority(30) StartupEvent event, Progression progression, RouterDatabase db, Vertx vertx,
               ProgressionConfig config) {
        progression.start(db, vertx, config.pollInterval());
    }

    void stop(@Observes ShutdownEvent event, Progression progression) {
        progression.stop();
    }

    private static void told(Move move, ProgressionState before, ProgressionPlan plan, MeterRegistry registry,
                             Notifier notifier, Clock clock) {
        ProgressionState s = move.next();
        String result = switch (move.event()) {
            case PROMOTED, DONE -> "promoted";
            case PROMOTED_BY_OPERATOR -> "operator";
            case HELD, OVERDUE -> "held";
            case GATE_WAITING -> "gate-waiting";
            case ABORTED -> "aborted";
            default -> null;
        };
        if (result != null) {
            registry.counter(MetricNames.PROGRESSION_PROMOTIONS, MetricNames.TAG_RESULT, result).increment();
        }
        String w = Transitions.fmt(s.weight()) + "%";
        Notice n = switch (move.event()) {
            case PROMOTED, PROMOTED_BY_OPERATOR, DONE -> Notice.of(Notice.Event.STEP_PROMOTED, clock.instant(),
                    ":arrow_up: Cutover: V2 weight now " + w + (move.event() == Event.PROMOTED_BY_OPERATOR
                            ? ", promoted by " + s.by() + ": " + s.reason() : ", healthy for the whole interval")
                            + (s.phase() == Phase.DONE ? " (last step: progression done)" : ""),
                    "weight", s.weight(), "from", before == null ? null : before.weight(), "by", s.by(), "reason", s.reason(),
                    "phase", s.phase().tag());
            case OVERDUE -> Notice.of(Notice.Event.STEP_HELD, clock.instant(),
                    ":hourglass: Cutover: step " + w + " held for longer than its interval"
                            + (plan == null ? "" : " (" + plan.interval() + ")") + ": " + s.hold(),
                    "weight", s.weight(), "since", s.stepSince(), "hold", s.hold());
            case GATE_WAITING -> Notice.of(Notice.Event.GATE_WAITING, clock.instant(),
                    ":raised_hand: Cutover: V2 healthy at " + w + "; the next step " + next(plan, s)
                            + "% is a manual gate: POST /admin/progression/promote to pass it",
                    "weight", s.weight(), "next", plan == null ? null : plan.nextAbove(s.weight()));
            case ABORTED -> Notice.of(Notice.Event.PROGRESSION_ABORTED, clock.instant(),
                    ":rotating_light: Cutover: progression aborted at " + w + ", V2 weight 0: " + s.hold()
                            + ". It does not resume by itself: release the latch, then POST /admin/progression/restart",
                    "weight", s.weight(), "hold", s.hold());
            default -> null;
        };
        if (n != null) {
            notifier.notify(n);
        }
    }

    private static String next(ProgressionPlan plan, ProgressionState s) {
        return plan == null ? "?" : Transitions.fmt(plan.nextAbove(s.weight()));
    }
}
