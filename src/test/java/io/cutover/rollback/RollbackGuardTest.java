package io.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.policy.RollbackThresholds;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The guard alone, on an injected ticker: what it counts, and the verdicts its evidence gives. */
class RollbackGuardTest {

    private static final long FAST = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long SLOW = TimeUnit.MILLISECONDS.toNanos(3000);

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));
    private final AtomicReference<RollbackThresholds> thresholds =
            new AtomicReference<>(new RollbackThresholds(0.05, 100, Duration.ofSeconds(60), 2000));
    private final SharedLatch latch = new SharedLatch(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final RollbackGuard guard = new RollbackGuard(now::get, thresholds::get, 0.05, latch);

    private void calls(Backend backend, int count, Outcome outcome, long latency) {
        calls(guard, backend, count, outcome, latency);
    }

    private static void calls(RollbackGuard g, Backend backend, int count, Outcome outcome, long latency) {
        for (int i = 0; i < count; i++) {
            g.onCall(backend, outcome, latency);
        }
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void shouldTripOnAnErrorSpikeOfV2AndKeepWhatItRestedOnWithTheLatch() {
        calls(Backend.V2, 150, Outcome.SUCCESS, FAST);
        advance(Duration.ofSeconds(1));
        calls(Backend.V2, 60, Outcome.SERVER_ERROR, FAST);
        calls(Backend.V1, 200, Outcome.SUCCESS, FAST);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(latch.isLatched()).isTrue();
        LatchState s = latch.state();
        assertThat(s.by()).isEqualTo(LatchState.BY_GUARD);
        assertThat(s.cause()).isEqualTo("error-rate");
        assertThat(s.reason()).contains("V2 60 of 210 failed").contains("V1 0 of 200 failed").contains("99.99 % confidence");
        GuardFigures f = s.figures();
        assertThat(f.v2().requests()).isEqualTo(210);
        assertThat(f.v2().failures()).isEqualTo(60);
        assertThat(f.v1().errorRate()).isZero();
        assertThat(f.test()).isEqualTo(GuardFigures.TEST);
        assertThat(f.confidence()).isEqualTo(0.9999);
        assertThat(f.worseConfidence()).as("the confidence reached").isGreaterThan(0.9999);
        assertThat(f.v2().errorRateLow()).isGreaterThan(0.05 + f.v1().errorRateHigh()).isLessThan(60 / 210.0);
        assertThat(f.windowMs()).isEqualTo(1000);
        assertThat(f.v2().p99Ms()).isBetween(20.0, 25.0);
    }

    @Test
    void shouldCountTimeoutsResetsAndConnectErrorsAsFailuresButNotClientErrors() {
        calls(Backend.V2, 150, Outcome.CLIENT_ERROR, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.HEALTHY);
        calls(Backend.V2, 20, Outcome.TIMEOUT, FAST);
        calls(Backend.V2, 20, Outcome.RESET, FAST);
        calls(Backend.V2, 20, Outcome.CONNECT_ERROR, FAST);
        Verdict v = guard.evaluate();
        assertThat(v.kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(v.figures().v2().failures()).isEqualTo(60);
        assertThat(v.figures().v2().requests()).isEqualTo(210);
    }

    /** Changed on purpose (issue 21): a short-circuit never reached the backend, so it is no evidence of its error rate. */
    @Test
    void shouldNotCountShortCircuitsAsFailuresSoTwoSidesFailingTogetherDoNotLatch() {
        for (Backend b : Backend.values()) {                        // both at 30 %, both breakers short-circuiting
            calls(b, 140, Outcome.SUCCESS, FAST);
            calls(b, 60, Outcome.SERVER_ERROR, FAST);
            calls(b, 800, Outcome.BREAKER_OPEN, -1);
        }

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.DEGRADED);
        assertThat(v.reason()).contains("not latched");
        assertThat(latch.isLatched()).isFalse();
        GuardFigures f = guard.figures();
        assertThat(f.v2().requests()).isEqualTo(200);
        assertThat(f.v2().errorRate()).isEqualTo(0.3);
        assertThat(f.v2().shortCircuits()).isEqualTo(800);
        assertThat(f.v1().errorRate()).isEqualTo(0.3);
    }

    /** A breaker that stays open over a dead V2: its half-open probes are real calls, and they finish the case. */
    @Test
    void shouldLatchADeadV2ThroughTheProbesOfABreakerThatStaysOpen() {
        calls(Backend.V1, 300, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 3, Outcome.CONNECT_ERROR, FAST);          // enough to open a small breaker, not to latch
        calls(Backend.V2, 500, Outcome.BREAKER_OPEN, -1);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        int probes = 0;
        while (!latch.isLatched() && probes < 20) {
            advance(Duration.ofSeconds(5));
            calls(Backend.V2, 1, Outcome.CONNECT_ERROR, FAST);      // a probe after the breaker's delay
            calls(Backend.V2, 50, Outcome.BREAKER_OPEN, -1);
            guard.evaluate();
            probes++;
        }
        assertThat(latch.isLatched()).isTrue();
        assertThat(probes).isLessThanOrEqualTo(6);
    }

    @Test
    void shouldTripOnALatencySpikeOfV2() {
        calls(Backend.V1, 200, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 60, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 40, Outcome.SUCCESS, SLOW);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.P99_LATENCY);
        assertThat(v.figures().v2().p99Ms()).isBetween(3000.0, 3000 * 1.125);
        assertThat(v.figures().v2().slow()).isEqualTo(40);
        assertThat(latch.state().cause()).isEqualTo("p99-latency");
    }

    @Test
    void shouldNotTripOnALatencyShiftBothSidesShare() {
        for (Backend b : Backend.values()) {
            calls(b, 100, Outcome.SUCCESS, FAST);
            calls(b, 100, Outcome.SUCCESS, SLOW);
        }
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.DEGRADED);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldNotTripOnAFewFailuresTheEvidenceDoesNotSupport() {
        calls(Backend.V1, 200, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 3, Outcome.SERVER_ERROR, FAST);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.reason()).contains("not enough evidence yet").contains("V2 3 of 3 failed");
        assertThat(latch.isLatched()).isFalse();
    }

    /** The low-traffic case: 1 V2 request a second, all failing, against a healthy V1. */
    @Test
    void shouldLatchADeadV2AtOneRequestASecondOnceTheEvidenceAccumulates() {
        int seconds = 0;
        while (!latch.isLatched() && seconds < 60) {
            calls(Backend.V1, 12, Outcome.SUCCESS, FAST);
            calls(Backend.V2, 1, Outcome.SERVER_ERROR, FAST);
            advance(Duration.ofSeconds(1));
            guard.evaluate();
            seconds++;
        }
        assertThat(latch.isLatched()).isTrue();
        assertThat(seconds).isLessThanOrEqualTo(10);
        assertThat(latch.state().figures().v2().requests()).isEqualTo(seconds);
    }

    /** Changed on purpose (issue 21): no V2 traffic is "no data", never zero; some traffic is evidence, not yet enough. */
    @Test
    void shouldSayNoDataWithoutV2TrafficAndHowLongItLasted() {
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.NO_DATA);
        calls(Backend.V1, 1000, Outcome.SERVER_ERROR, FAST);
        advance(Duration.ofSeconds(42));
        Verdict v = guard.evaluate();
        assertThat(v.kind()).isEqualTo(Verdict.Kind.NO_DATA);
        assertThat(v.reason()).contains("no V2 request");
        assertThat(guard.noDataFor()).isEqualTo(Duration.ofSeconds(42));
        calls(Backend.V2, 10, Outcome.SUCCESS, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(guard.noDataFor()).isZero();
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldStillTripWhenV2FailsClearlyMoreThanV1() {
        calls(Backend.V1, 900, Outcome.SUCCESS, FAST);
        calls(Backend.V1, 100, Outcome.SERVER_ERROR, FAST);      // V1 10 %
        calls(Backend.V2, 700, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 300, Outcome.SERVER_ERROR, FAST);      // V2 30 %: over V1 by 0.20 > 0.05

        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
    }

    @Test
    void shouldForgetEvidenceOlderThanTheHorizon() {
        calls(Backend.V2, 100, Outcome.SERVER_ERROR, SLOW);
        advance(RollbackThresholds.DEFAULT_HORIZON.plusSeconds(1));
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.NO_DATA);
        calls(Backend.V2, 200, Outcome.SUCCESS, FAST);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).as("only the last horizon's evidence").isEqualTo(Verdict.Kind.HEALTHY);
        assertThat(v.figures().v2().requests()).isEqualTo(200);
        assertThat(v.figures().v2().failures()).isZero();
    }

    @Test
    void shouldAccumulateEvidenceAcrossSecondsWhileTheRecentFiguresSlide() {
        for (int s = 0; s < 50; s++) {
            calls(Backend.V2, 2, Outcome.SERVER_ERROR, FAST);
            calls(Backend.V2, 2, Outcome.SUCCESS, FAST);
            advance(Duration.ofSeconds(1));
        }
        assertThat(guard.figures().v2().requests()).isEqualTo(200);
        assertThat(guard.figures().v2().failures()).isEqualTo(100);
        advance(Duration.ofSeconds(49));     // rollback.window (60 one-second slots) now holds the last 10 s of calls
        assertThat(guard.recent().v2().requests()).isEqualTo(40);
        assertThat(guard.figures().v2().requests()).as("the evidence keeps them all").isEqualTo(200);
    }

    @Test
    void shouldReadThresholdsAnewOnEachEvaluationAndStartTheEvidenceAfreshWhenTheyChange() {
        thresholds.set(new RollbackThresholds(0.5, 20, Duration.ofSeconds(10), 2000));
        guard.evaluate();
        calls(Backend.V2, 140, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 60, Outcome.SERVER_ERROR, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.HEALTHY);
        thresholds.set(new RollbackThresholds(0.05, 20, Duration.ofSeconds(10), 2000));
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.NO_DATA);
        calls(Backend.V2, 140, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 60, Outcome.SERVER_ERROR, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
    }

    @Test
    void shouldStartAfreshAfterARelease() {
        calls(Backend.V2, 100, Outcome.SERVER_ERROR, FAST);
        guard.evaluate();
        assertThat(latch.isLatched()).isTrue();
        latch.release("V2 fixed", "operator@127.0.0.1");

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.NO_DATA);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldRecordLatenciesWithinTheHistogramsPrecision() {
        for (long micros : new long[] {0, 1, 7, 8, 9, 15, 16, 1000, 2_000_000, 999_999_999}) {
            int bin = CallWindow.bin(micros);
            long upper = CallWindow.upperMicros(bin);
            assertThat(upper).as("%d µs", micros).isGreaterThanOrEqualTo(Math.min(micros, (1L << 27) - 1));
            assertThat(bin).isLessThan(CallWindow.BINS);
            if (micros >= 8 && micros < (1L << 27)) {
                assertThat((double) upper).isLessThanOrEqualTo(micros * 1.125);
            }
        }
    }

    @Test
    void shouldCountOneInconclusiveWindowPerWholeWindowOfTooFewRequests() {
        thresholds.set(new RollbackThresholds(0.2, 20, Duration.ofSeconds(10), 2000));
        for (int second = 0; second < 3600; second++) {                // an hour, 1 V2 request a minute
            if (second % 60 == 0) {
                guard.onCall(Backend.V2, Outcome.SUCCESS, FAST);
            }
            for (int k = 0; k < 4; k++) {                            // evaluated every 250 ms
                guard.evaluate();
                advance(Duration.ofMillis(250));
            }
        }
        assertThat(guard.inconclusiveWindows()).isEqualTo(359);        // the first window ends at 10 s
        assertThat(guard.inconclusiveWindowsTotal()).isEqualTo(359);
        assertThat(guard.blindFor()).isEqualTo(Duration.ofHours(1));
        assertThat(latch.isLatched()).isFalse();

        calls(Backend.V2, 60, Outcome.SUCCESS, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.HEALTHY);
        assertThat(guard.inconclusiveWindows()).isZero();
        assertThat(guard.blindFor()).isZero();
        assertThat(guard.inconclusiveWindowsTotal()).isEqualTo(359);
    }

    @Test
    void shouldNotCountAWindowForABlindSpellShorterThanOneWindow() {
        thresholds.set(new RollbackThresholds(0.2, 20, Duration.ofSeconds(10), 2000));
        guard.evaluate();
        advance(Duration.ofMillis(9_999));
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.NO_DATA);
        assertThat(guard.inconclusiveWindowsTotal()).isZero();
        advance(Duration.ofMillis(1));
        guard.evaluate();
        assertThat(guard.inconclusiveWindowsTotal()).isOne();
    }

    /** A replica restarting judges only what it saw since it started; it latches as soon as that is enough. */
    @Test
    void shouldJudgeOnlyCallsSinceARestartAndLatchOnceTheyAreEnough() {
        calls(Backend.V2, 15, Outcome.SERVER_ERROR, FAST);              // the replica dies with these
        RollbackGuard restarted = new RollbackGuard(now::get, thresholds::get, 0.05, latch);
        advance(Duration.ofSeconds(1));
        calls(restarted, Backend.V2, 3, Outcome.SERVER_ERROR, FAST);
        assertThat(restarted.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);   // 3 of the 18 seen
        advance(Duration.ofSeconds(5));
        calls(restarted, Backend.V2, 10, Outcome.SERVER_ERROR, FAST);

        assertThat(restarted.evaluate().kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(latch.isLatched()).isTrue();
    }
}
