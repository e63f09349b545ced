package io.cutover.rollback;

import io.cutover.policy.RollbackThresholds;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleUnaryOperator;

/**
 * Synthetic traffic through a real {@link RollbackGuard} on an injected ticker, with seeded
 * randomness: calls arrive at a steady rate on each side, each fails (and is slow) with the
 * probability the scenario gives for that second, and the guard is evaluated every step, as its
 * timer would. No HTTP: the guard's own entry points ({@code onCall}, {@code evaluate}).
 */
final class GuardSimulation {

    static final long FAST = TimeUnit.MILLISECONDS.toNanos(20);
    static final long SLOW = TimeUnit.MILLISECONDS.toNanos(3000);

    /** One side's traffic: calls per second, and the failing and slow shares as functions of the second. */
    record Side(double rate, DoubleUnaryOperator errorRate, DoubleUnaryOperator slowShare) {
        static Side of(double rate, double errorRate) {
            return new Side(rate, t -> errorRate, t -> 0);
        }

        Side slow(double share) {
            return new Side(rate, errorRate, t -> share);
        }
    }

    /** What a run saw: when it latched (seconds, -1 never), its first healthy verdict, and the verdicts counted. */
    record Result(double latchedAt, double firstHealthyAt, String cause, Map<Verdict.Kind, Long> verdicts, Verdict last) {
        boolean latched() {
            return latchedAt >= 0;
        }
    }

    private GuardSimulation() {
    }

    static Result run(RollbackThresholds t, Side v1, Side v2, Duration span, Duration step, long seed, boolean stopAtLatch,
                      boolean stopAtHealthy) {
        AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
        SharedLatch latch = new SharedLatch(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        RollbackGuard guard = new RollbackGuard(now::get, () -> t, 0.05, latch);
        SplittableRandom random = new SplittableRandom(seed);
        double[] owed = {random.nextDouble(), random.nextDouble()};
        Map<Verdict.Kind, Long> verdicts = new EnumMap<>(Verdict.Kind.class);
        double dt = step.toNanos() / 1e9;
        double healthyAt = -1;
        Verdict last = null;
        long steps = span.toNanos() / step.toNanos();
        for (long i = 0; i < steps; i++) {
            double second = i * dt;
            calls(guard, Backend.V1, v1, second, dt, owed, random);
            calls(guard, Backend.V2, v2, second, dt, owed, random);
            now.addAndGet(step.toNanos());
            last = guard.evaluate();
            verdicts.merge(last.kind(), 1L, Long::sum);
            if (healthyAt < 0 && last.kind() == Verdict.Kind.HEALTHY) {
                healthyAt = second + dt;
                if (stopAtHealthy) {
                    break;
                }
            }
            if (latch.isLatched()) {
                Result r = new Result(second + dt, healthyAt, latch.state().cause(), verdicts, last);
                if (stopAtLatch) {
                    return r;
                }
                latch.release("simulation", "operator@test");
            }
        }
        return new Result(-1, healthyAt, null, verdicts, last);
    }

    private static void calls(RollbackGuard guard, Backend b, Side side, double second, double dt, double[] owed,
                              SplittableRandom random) {
        int k = b.ordinal();
        owed[k] += side.rate() * dt;
        long n = (long) owed[k];
        owed[k] -= n;
        if (n == 0) {
            return;
        }
        double p = side.errorRate().applyAsDouble(second);
        double slow = side.slowShare().applyAsDouble(second);
        for (long c = 0; c < n; c++) {
            boolean failed = p > 0 && (p >= 1 || random.nextDouble() < p);
            boolean late = slow > 0 && (slow >= 1 || random.nextDouble() < slow);
            guard.onCall(b, failed ? Outcome.SERVER_ERROR : Outcome.SUCCESS, late ? SLOW : FAST);
        }
    }
}
