package io.cutover.progression;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.policy.PolicyParser;
import io.cutover.policy.TrafficPolicy;
import io.cutover.progression.ProgressionState.Phase;
import io.cutover.rollback.SharedLatch;
import io.cutover.rollback.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The progression of one replica (no database) on an injected clock: the guard's verdicts arrive
 * every 15 s, as the test says, and the clock moves only when the test moves it.
 */
class ProgressionTest {

    private static final Duration EVERY = Duration.ofSeconds(15);
    private static final String POLICY = """
            progression:
              steps: [1, 5, 25, 50, 100]
              interval: 10m
              gates:
                50: manual
            """;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final SharedLatch latch = new SharedLatch(clock);
    private final AtomicReference<TrafficPolicy> policy = new AtomicReference<>(parse(POLICY));
    private final List<Transitions.Event> told = new ArrayList<>();
    private final Progression progression = new Progression(policy::get, latch, clock, Duration.ofSeconds(1),
            (move, before) -> told.add(move.event()));

    private static TrafficPolicy parse(String yaml) {
        try {
            return new PolicyParser().parse(yaml, "test");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Verdict verdict(Verdict.Kind kind) {
        return new Verdict(kind, kind == Verdict.Kind.INCONCLUSIVE ? "0 V2 requests in 60000ms (need 100)" : "test", null);
    }

    /** Verdicts of {@code kind} every 15 s for {@code span} (the first one now). */
    private void verdicts(Verdict.Kind kind, Duration span) {
        for (Duration t = Duration.ZERO; t.compareTo(span) < 0; t = t.plus(EVERY)) {
            progression.onVerdict(verdict(kind));
            clock.advance(EVERY);
        }
    }

    private double weight() {
        return progression.v2Weight(policy.get());
    }

    @Test
    void shouldStartAtTheFirstStepAndPromoteExactlyAtTheInterval() {
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(weight()).isEqualTo(1);
        Instant started = clock.instant();

        clock.set(started.plus(Duration.ofMinutes(10)).minusMillis(1));
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(weight()).as("one millisecond before the interval ends").isEqualTo(1);

        clock.set(started.plus(Duration.ofMinutes(10)));
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(weight()).isEqualTo(5);
        assertThat(progression.state().stepSince()).isEqualTo(started.plus(Duration.ofMinutes(10)));
        assertThat(told).containsExactly(Transitions.Event.STARTED, Transitions.Event.PROMOTED);
    }

    @Test
    void shouldHoldTheStepOnOneUnhealthyWindowAndRestartItsInterval() {
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        Instant started = clock.instant();
        clock.advance(EVERY);
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(5));
        Instant badWindow = clock.instant();
        progression.onVerdict(verdict(Verdict.Kind.P99_LATENCY));
        assertThat(progression.state().hold()).startsWith("p99-latency");

        clock.set(started.plus(Duration.ofMinutes(10)));
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(weight()).as("the interval restarted at the unhealthy window").isEqualTo(1);

        clock.set(badWindow.plus(Duration.ofMinutes(10)).minusSeconds(1));
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(weight()).isEqualTo(1);
        clock.set(badWindow.plus(Duration.ofMinutes(10)));
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(weight()).isEqualTo(5);
    }

    @Test
    void shouldNeverPromoteWithoutTraffic() {
        verdicts(Verdict.Kind.INCONCLUSIVE, Duration.ofHours(2));
        assertThat(weight()).isEqualTo(1);
        assertThat(progression.state().phase()).isEqualTo(Phase.PROGRESSING);
        assertThat(progression.state().hold()).isEqualTo("inconclusive: 0 V2 requests in 60000ms (need 100)");
        assertThat(progression.state().overdue()).isTrue();
        assertThat(told).as("held for longer than the interval is told once").containsOnlyOnce(Transitions.Event.OVERDUE);
    }

    @Test
    void shouldHoldASilentStepEvenAfterHealthyWindowsBeforeIt() {
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(9));
        verdicts(Verdict.Kind.INCONCLUSIVE, Duration.ofMinutes(2));
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(9));
        assertThat(weight()).as("9 healthy minutes after the silence are not the 10 of the interval").isEqualTo(1);
    }

    @Test
    void shouldWaitAtAManualGateUntilAnOperatorPromotes() {
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(31));
        assertThat(weight()).isEqualTo(25);
        verdicts(Verdict.Kind.HEALTHY, Duration.ofHours(3));
        assertThat(progression.state().phase()).isEqualTo(Phase.WAITING_GATE);
        assertThat(weight()).as("promotion into 50 waits for an operator").isEqualTo(25);
        assertThat(progression.state().hold()).contains("50% is a manual gate");

        Progression.Result r = progression.promote("operator@10.0.0.9", "dashboards look fine").result();
        assertThat(r.changed()).isTrue();
        assertThat(weight()).isEqualTo(50);
        assertThat(progression.state().by()).isEqualTo("operator@10.0.0.9");
        assertThat(progression.state().reason()).isEqualTo("dashboards look fine");
    }

    @Test
    void shouldAbortOnTheLatchAndStayAbortedAfterTheRelease() {
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(11));
        assertThat(weight()).isEqualTo(5);

        latch.latchByHand("V2 500s", "operator@10.0.0.9", null);
        assertThat(progression.state().phase()).isEqualTo(Phase.ABORTED);
        assertThat(weight()).isZero();
        assertThat(progression.state().hold()).contains("V2 500s");

        latch.release("fixed", "operator@10.0.0.9");
        verdicts(Verdict.Kind.HEALTHY, Duration.ofHours(1));
        assertThat(progression.state().phase()).as("a release does not resume it").isEqualTo(Phase.ABORTED);
        assertThat(weight()).isZero();
        assertThat(progression.promote("operator@x", "go").result().refused()).contains("restart");

        Progression.Result r = progression.restart("operator@10.0.0.9", "fix deployed").result();
        assertThat(r.changed()).isTrue();
        assertThat(weight()).as("a restart begins at the first step").isEqualTo(1);
    }

    @Test
    void shouldRefuseARestartWhileTheLatchIsLatched() {
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        latch.latchByHand("test", "operator@x", null);
        Progression.Result r = progression.restart("operator@x", "too early").result();
        assertThat(r.changed()).isFalse();
        assertThat(r.refused()).contains("released first");
        assertThat(weight()).isZero();
    }

    @Test
    void shouldPauseAndResumeWithTheIntervalStartingAgain() {
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(8));
        progression.pause("operator@x", "looking at a ticket").result();
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(30));
        assertThat(weight()).isEqualTo(1);
        assertThat(progression.state().phase()).isEqualTo(Phase.PAUSED);
        assertThat(progression.promote("operator@x", "x").result().refused()).contains("resume");

        progression.resume("operator@x", "ticket closed").result();
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(9));
        assertThat(weight()).as("the resumed step needs a whole interval again").isEqualTo(1);
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(2));
        assertThat(weight()).isEqualTo(5);
    }

    @Test
    void shouldContinueFromTheHighestStepNotAboveWhenTheStepsChange() {
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(31));
        assertThat(weight()).isEqualTo(25);

        policy.set(parse("progression: {steps: [10, 20, 40, 100], interval: 10m}\n"));
        assertThat(weight()).as("at once, before any verdict").isEqualTo(20);
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(progression.state().weight()).isEqualTo(20);

        policy.set(parse("progression: {steps: [30, 100], interval: 10m}\n"));
        progression.onVerdict(verdict(Verdict.Kind.HEALTHY));
        assertThat(weight()).as("below every step: stays, never jumps up").isEqualTo(20);
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(11));
        assertThat(weight()).isEqualTo(30);
    }

    @Test
    void shouldBeDoneAtTheLastStep() {
        policy.set(parse("progression: {steps: [50, 100], interval: 1m}\n"));
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(2));
        assertThat(weight()).isEqualTo(100);
        assertThat(progression.state().phase()).isEqualTo(Phase.DONE);
    }

    @Test
    void shouldFollowV2WeightWithoutAProgression() {
        policy.set(parse("v2Weight: 12.5\n"));
        verdicts(Verdict.Kind.HEALTHY, Duration.ofHours(1));
        assertThat(weight()).isEqualTo(12.5);
        assertThat(progression.state()).isNull();
    }

    /** A clock the test moves. */
    /**
     * The case with the real guard: steps [10, 50], interval 10 s, a healthy V2 at about 2 requests a second
     * (V1 at 18). The guard's evidence accumulates until V2 is shown under its threshold, then each step is promoted
     * after its interval: done within 90 s (the fixed windows of old held it inconclusive for ever).
     */
    @Test
    void shouldPromoteAHealthyV2AtTwoRequestsASecondOnTheGuardsAccumulatedEvidence() {
        policy.set(parse("""
                progression:
                  steps: [10, 50]
                  interval: 10s
                rollback:
                  errorRate: 0.05
                  minRequests: 50
                  window: 10s
                """));
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        io.cutover.rollback.RollbackGuard guard = new io.cutover.rollback.RollbackGuard(nanos::get,
                () -> policy.get().rollback(), 0.05, latch);
        guard.addVerdictListener(progression::onVerdict);
        Instant start = clock.instant();
        Duration took = null;
        for (int tick = 0; tick < 4 * 120 && took == null; tick++) {          // evaluated every 250 ms, 2 minutes at most
            if (tick % 2 == 0) {
                guard.onCall(io.cutover.routing.Backend.V2, io.cutover.resilience.Outcome.SUCCESS, 20_000_000);
            }
            for (int i = 0; i < (tick % 2 == 0 ? 5 : 4); i++) {
                guard.onCall(io.cutover.routing.Backend.V1, io.cutover.resilience.Outcome.SUCCESS, 20_000_000);
            }
            nanos.addAndGet(250_000_000);
            clock.advance(Duration.ofMillis(250));
            guard.evaluate();
            if (progression.state() != null && progression.state().phase() == Phase.DONE) {
                took = Duration.between(start, clock.instant());
            }
        }
        assertThat(took).as("promoted to the last step").isNotNull();
        assertThat(took).isLessThanOrEqualTo(Duration.ofSeconds(90));
        assertThat(weight()).isEqualTo(50);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldHoldOnNoDataAndOnADegradedV2() {
        verdicts(Verdict.Kind.NO_DATA, Duration.ofMinutes(20));
        assertThat(weight()).as("no data never promotes").isEqualTo(1);
        assertThat(progression.state().hold()).startsWith("no-data");
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(5));
        verdicts(Verdict.Kind.DEGRADED, Duration.ofSeconds(15));
        verdicts(Verdict.Kind.HEALTHY, Duration.ofMinutes(9));
        assertThat(weight()).as("a degraded V2 restarts the interval").isEqualTo(1);
        assertThat(progression.state().hold()).startsWith("degraded");
    }

    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
