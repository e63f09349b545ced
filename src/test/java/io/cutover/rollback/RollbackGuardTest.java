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

class RollbackGuardTest {

    private static final long FAST = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long SLOW = TimeUnit.MILLISECONDS.toNanos(3000);

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));
    private final AtomicReference<RollbackThresholds> thresholds =
            new AtomicReference<>(new RollbackThresholds(0.05, 100, Duration.ofSeconds(60), 2000));
    private final SharedLatch latch = new SharedLatch(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final RollbackGuard guard = new RollbackGuard(now::get, thresholds::get, 0.05, latch);

    private void calls(Backend backend, int count, Outcome outcome, long latency) {
        for (int i = 0; i < count; i++) {
            guard.onCall(backend, outcome, latency);
        }
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void shouldTripOnAnErrorSpikeOfV2() {
        calls(Backend.V2, 150, Outcome.SUCCESS, FAST);
        advance(Duration.ofSeconds(1));
        calls(Backend.V2, 30, Outcome.SERVER_ERROR, FAST);
        calls(Backend.V1, 200, Outcome.SUCCESS, FAST);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(latch.isLatched()).isTrue();
        LatchState s = latch.state();
        assertThat(s.by()).isEqualTo(LatchState.BY_GUARD);
        assertThat(s.cause()).isEqualTo("error-rate");
        assertThat(s.figures().v2().requests()).isEqualTo(180);
        assertThat(s.figures().v2().failures()).isEqualTo(30);
        assertThat(s.figures().v1().errorRate()).isZero();
    }

    @Test
    void shouldCountTimeoutsResetsAndConnectErrorsAsFailuresButNotClientErrors() {
        calls(Backend.V2, 100, Outcome.CLIENT_ERROR, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.HEALTHY);
        calls(Backend.V2, 5, Outcome.TIMEOUT, FAST);
        calls(Backend.V2, 5, Outcome.RESET, FAST);
        calls(Backend.V2, 5, Outcome.CONNECT_ERROR, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
    }

    @Test
    void shouldCountCallsRefusedByV2sOpenBreakerAsFailuresWithoutLatency() {
        calls(Backend.V2, 10, Outcome.SERVER_ERROR, FAST);
        calls(Backend.V2, 90, Outcome.BREAKER_OPEN, -1);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(v.figures().v2().failures()).isEqualTo(100);
        assertThat(v.figures().v2().p99Ms()).isLessThan(25);
    }

    @Test
    void shouldTripOnALatencySpikeOfV2() {
        calls(Backend.V2, 95, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 5, Outcome.SUCCESS, SLOW);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.P99_LATENCY);
        assertThat(v.figures().v2().p99Ms()).isBetween(3000.0, 3000 * 1.125);
        assertThat(latch.state().cause()).isEqualTo("p99-latency");
    }

    @Test
    void shouldNotTripOnAFailureBurstBelowMinRequests() {
        calls(Backend.V2, 99, Outcome.SERVER_ERROR, SLOW);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.reason()).contains("99 V2 requests").contains("need 100");
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldBeInconclusiveWithTooFewRequests() {
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        calls(Backend.V1, 1000, Outcome.SERVER_ERROR, FAST);
        calls(Backend.V2, 10, Outcome.SUCCESS, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldNotTripWhenV1FailsAsMuchAsV2() {
        calls(Backend.V1, 100, Outcome.SUCCESS, FAST);
        calls(Backend.V1, 100, Outcome.CONNECT_ERROR, FAST);
        calls(Backend.V2, 100, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 100, Outcome.CONNECT_ERROR, FAST);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.HEALTHY);
        assertThat(v.figures().v2().errorRate()).isEqualTo(0.5);
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldStillTripWhenV2FailsClearlyMoreThanV1() {
        calls(Backend.V1, 180, Outcome.SUCCESS, FAST);
        calls(Backend.V1, 20, Outcome.SERVER_ERROR, FAST);       // V1 10%
        calls(Backend.V2, 160, Outcome.SUCCESS, FAST);
        calls(Backend.V2, 40, Outcome.SERVER_ERROR, FAST);       // V2 20%: over V1 by 0.10 > 0.05

        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
    }

    @Test
    void shouldAgeOldFailuresOutAsTheWindowSlides() {
        calls(Backend.V2, 100, Outcome.SERVER_ERROR, SLOW);
        advance(Duration.ofSeconds(61));
        calls(Backend.V2, 100, Outcome.SUCCESS, FAST);

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.HEALTHY);
        assertThat(v.figures().v2().requests()).isEqualTo(100);
        assertThat(v.figures().v2().failures()).isZero();
    }

    @Test
    void shouldKeepFailuresWithinTheWindowAcrossSlots() {
        for (int s = 0; s < 50; s++) {
            calls(Backend.V2, 2, Outcome.SERVER_ERROR, FAST);
            calls(Backend.V2, 2, Outcome.SUCCESS, FAST);
            advance(Duration.ofSeconds(1));
        }
        GuardFigures f = guard.figures();
        assertThat(f.v2().requests()).isEqualTo(200);
        assertThat(f.v2().failures()).isEqualTo(100);
        advance(Duration.ofSeconds(49));     // the window (60 one-second slots) now holds the last 10 s of calls
        assertThat(guard.figures().v2().requests()).isEqualTo(40);
    }

    @Test
    void shouldReadThresholdsAnewOnEachEvaluation() {
        calls(Backend.V2, 50, Outcome.SERVER_ERROR, FAST);
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        thresholds.set(new RollbackThresholds(0.05, 20, Duration.ofSeconds(10), 2000));
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
    }

    @Test
    void shouldStartAfreshAfterARelease() {
        calls(Backend.V2, 100, Outcome.SERVER_ERROR, FAST);
        guard.evaluate();
        assertThat(latch.isLatched()).isTrue();
        latch.release("V2 fixed", "operator@127.0.0.1");

        Verdict v = guard.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
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

    /** The scenario at the guard: a breaker opened by calls outside the window brings no evidence. */
    @Test
    void shouldNotCountShortCircuitsOfABreakerOpenedByCallsOlderThanTheWindow() {
        thresholds.set(new RollbackThresholds(0.2, 20, Duration.ofSeconds(10), 2000));
        AtomicLong openedBy = new AtomicLong(now.get());
        RollbackGuard g = new RollbackGuard(now::get, thresholds::get, 0.05, latch, b -> openedBy.get());
        for (int i = 0; i < 10; i++) {
            g.onCall(Backend.V2, Outcome.SERVER_ERROR, FAST);
        }
        assertThat(g.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        advance(Duration.ofSeconds(11));
        for (int i = 0; i < 10; i++) {
            g.onCall(Backend.V2, Outcome.SUCCESS, FAST);
        }
        for (int i = 0; i < 20; i++) {
            g.onCall(Backend.V2, Outcome.BREAKER_OPEN, -1);        // opened by the 10 failures of 11 s ago
        }

        Verdict v = g.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(v.figures().v2().requests()).isEqualTo(10);
        assertThat(v.figures().v2().failures()).isZero();
        assertThat(latch.isLatched()).isFalse();
    }

    @Test
    void shouldKeepADeadV2FailingWhileItsBreakerWasOpenedByCallsInsideTheWindow() {
        thresholds.set(new RollbackThresholds(0.2, 50, Duration.ofSeconds(10), 2000));
        AtomicLong openedBy = new AtomicLong(now.get());
        RollbackGuard g = new RollbackGuard(now::get, thresholds::get, 0.05, latch, b -> openedBy.get());
        for (int i = 0; i < 20; i++) {
            g.onCall(Backend.V2, Outcome.CONNECT_ERROR, FAST);    // opens the breaker: 20 < minRequests
        }
        assertThat(g.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        advance(Duration.ofSeconds(3));
        for (int i = 0; i < 30; i++) {
            g.onCall(Backend.V2, Outcome.BREAKER_OPEN, -1);
        }

        Verdict v = g.evaluate();

        assertThat(v.kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(v.figures().v2().requests()).isEqualTo(50);
        assertThat(latch.isLatched()).isTrue();
    }

    @Test
    void shouldNotCountAShortCircuitOfABreakerThatNeverOpened() {
        RollbackGuard g = new RollbackGuard(now::get, thresholds::get, 0.05, latch, b -> Long.MIN_VALUE);
        for (int i = 0; i < 200; i++) {
            g.onCall(Backend.V2, Outcome.BREAKER_OPEN, -1);
        }
        assertThat(g.figures().v2().requests()).isZero();
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

        calls(Backend.V2, 20, Outcome.SUCCESS, FAST);
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
        assertThat(guard.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);
        assertThat(guard.inconclusiveWindowsTotal()).isZero();
        advance(Duration.ofMillis(1));
        guard.evaluate();
        assertThat(guard.inconclusiveWindowsTotal()).isOne();
    }

    /** A replica restarting mid-window judges only what it saw since; it latches within one window if V2 keeps failing. */
    @Test
    void shouldJudgeOnlyCallsSinceARestartAndLatchWithinOneWindowIfV2KeepsFailing() {
        thresholds.set(new RollbackThresholds(0.2, 20, Duration.ofSeconds(10), 2000));
        calls(Backend.V2, 15, Outcome.SERVER_ERROR, FAST);              // the replica dies with these
        RollbackGuard restarted = new RollbackGuard(now::get, thresholds::get, 0.05, latch);
        advance(Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            restarted.onCall(Backend.V2, Outcome.SERVER_ERROR, FAST);
        }
        assertThat(restarted.evaluate().kind()).isEqualTo(Verdict.Kind.INCONCLUSIVE);   // 10 of the 25 seen
        advance(Duration.ofSeconds(5));
        for (int i = 0; i < 10; i++) {
            restarted.onCall(Backend.V2, Outcome.SERVER_ERROR, FAST);
        }

        assertThat(restarted.evaluate().kind()).isEqualTo(Verdict.Kind.ERROR_RATE);
        assertThat(latch.isLatched()).isTrue();
    }
}
