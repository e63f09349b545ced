package io.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.policy.RollbackThresholds;
import io.cutover.rollback.GuardSimulation.Result;
import io.cutover.rollback.GuardSimulation.Side;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The guard under synthetic traffic over a grid of V2 rates (0.2 to 2,000 requests/s, V1 nine times
 * as much: a 10 % weight), error rates, bursts and latency shifts, with the policy's defaults
 * ({@code errorRate 0.05}, {@code confidence 0.9999}, {@code promoteConfidence 0.95},
 * {@code horizon 10m}, V1 margin 0.05). Seeded, on the injected ticker, evaluated every 250 ms as in
 * production (every second over simulated days). The figures printed at the end are the table of
 * docs/rollback.md.
 */
class GuardSimulationTest {

    private static final RollbackThresholds T = RollbackThresholds.DEFAULTS;
    private static final Duration EVERY = Duration.ofMillis(250);
    private static final double[] RATES = {0.2, 1, 2, 10, 100, 1000, 2000};
    private static final Map<String, String> REPORT = new TreeMap<>();

    private static Side v1(double v2Rate, double errorRate) {
        return Side.of(Math.max(1, v2Rate * 9), errorRate);
    }

    private static void report(String key, String value) {
        REPORT.put(key, value);
    }

    private static String seconds(Result r) {
        return r.latched() ? String.format(Locale.ROOT, "%.2f s", r.latchedAt()) : "never";
    }

    @AfterAll
    static void printTable() {
        REPORT.forEach((k, v) -> System.out.println(k + " | " + v));
    }

    @Test
    void shouldLatchADeadV2Within30sAtOneRequestASecondAndWithin2sAtAThousand() {
        for (double rate : RATES) {
            for (double v1Errors : new double[] {0, 0.05}) {
                Result r = GuardSimulation.run(T, v1(rate, v1Errors), Side.of(rate, 1), Duration.ofMinutes(10), EVERY,
                        11, true, false);
                assertThat(r.latched()).as("dead V2 at %s/s, V1 at %s", rate, v1Errors).isTrue();
                assertThat(r.cause()).isEqualTo("error-rate");
                report(String.format(Locale.ROOT, "dead V2 | %7.1f/s | V1 %2.0f%%", rate, v1Errors * 100), seconds(r));
                if (rate == 1) {
                    assertThat(r.latchedAt()).as("at 1 V2 request/s").isLessThanOrEqualTo(30);
                }
                if (rate >= 1000) {
                    assertThat(r.latchedAt()).as("at %s V2 requests/s", rate).isLessThanOrEqualTo(2);
                }
            }
        }
    }

    @Test
    void shouldLatchAV2FailingAtFiveTimesItsThreshold() {
        for (double rate : RATES) {
            for (double v1Errors : new double[] {0, 0.05}) {
                Result r = GuardSimulation.run(T, v1(rate, v1Errors), Side.of(rate, 5 * T.errorRate()), Duration.ofMinutes(20),
                        EVERY, 12, true, false);
                report(String.format(Locale.ROOT, "V2 25%% | %7.1f/s | V1 %2.0f%%", rate, v1Errors * 100), seconds(r));
                if (rate >= 1) {
                    assertThat(r.latched()).as("V2 at 25 %% at %s/s against V1 at %s", rate, v1Errors).isTrue();
                    assertThat(r.latchedAt()).isLessThanOrEqualTo(rate >= 10 ? 60 : 300);
                }
            }
        }
    }

    @Test
    void shouldLatchAV2FailingAtTwiceItsThresholdGivenTheRequests() {
        for (double rate : RATES) {
            Result r = GuardSimulation.run(T, v1(rate, 0), Side.of(rate, 2 * T.errorRate()), Duration.ofMinutes(20), EVERY, 22,
                    true, false);
            report(String.format(Locale.ROOT, "V2 10%% | %7.1f/s | V1  0%%", rate), seconds(r));
            if (rate >= 10) {
                assertThat(r.latched()).as("V2 at 10 %% at %s/s", rate).isTrue();
            }
        }
    }

    @Test
    void shouldNotLatchOnAShortBurstThatTheEvidenceDoesNotSupport() {
        for (double rate : new double[] {1, 2, 10, 100, 1000}) {
            for (double burst : new double[] {1, 1.5, 5, 10, 30}) {
                Result r = GuardSimulation.run(T, v1(rate, 0),
                        new Side(rate, t -> t < burst ? 1 : 0, t -> 0), Duration.ofMinutes(5), EVERY, 13, true, false);
                report(String.format(Locale.ROOT, "burst %4.1f s | %7.1f/s", burst, rate),
                        r.latched() ? "latched at " + seconds(r) : "no latch");
                if (rate * burst <= 3) {
                    assertThat(r.latched()).as("%s s burst at %s/s", burst, rate).isFalse();
                }
            }
        }
    }

    @Test
    void shouldNeverLatchAHealthyOrSlightlyWorseV2OverSimulatedDays() {
        Object[][] days = {
            {"V2 2% vs V1 0%", 0.0, 0.02},
            {"V2 4.5% vs V1 0% (just under the threshold)", 0.0, 0.045},
            {"V2 7% vs V1 5% (worse than V1, under V1 + margin)", 0.05, 0.07},
        };
        for (Object[] d : days) {
            Result r = GuardSimulation.run(T, Side.of(3, (double) d[1]), Side.of(3, (double) d[2]), Duration.ofDays(1),
                    Duration.ofSeconds(1), 14, false, false);
            report("false latches per simulated day | " + d[0] + " | 3/s", r.latched() ? "LATCHED at " + seconds(r) : "0");
            assertThat(r.latched()).as((String) d[0]).isFalse();
        }
        Result fast = GuardSimulation.run(T, Side.of(1000, 0), Side.of(1000, 0.045), Duration.ofMinutes(20), EVERY, 15,
                false, false);
        report("false latches per simulated day | V2 4.5% vs V1 0% | 1000/s for 20 min", fast.latched() ? "LATCHED" : "0");
        assertThat(fast.latched()).isFalse();
    }

    @Test
    void shouldNotLatchWhenV1AndV2FailTogetherThroughASharedDependency() {
        for (double rate : new double[] {2, 60, 1000}) {
            Result r = GuardSimulation.run(T, Side.of(rate, 0.3), Side.of(rate, 0.3), Duration.ofMinutes(rate > 100 ? 3 : 30), EVERY, 16,
                    false, false);
            report(String.format(Locale.ROOT, "V1 and V2 both 30%% | %7.1f/s", rate),
                    r.latched() ? "LATCHED" : "no latch; verdicts " + r.verdicts());
            assertThat(r.latched()).as("both failing at %s/s", rate).isFalse();
            if (rate >= 60) {
                assertThat(r.last().kind()).isEqualTo(Verdict.Kind.DEGRADED);
            }
        }
    }

    @Test
    void shouldLatchOnALatencyShiftOfV2AloneButNotOnOneBothShare() {
        for (double rate : new double[] {1, 10, 100, 1000}) {
            Result slow = GuardSimulation.run(T, v1(rate, 0), Side.of(rate, 0).slow(1), Duration.ofMinutes(10), EVERY, 17,
                    true, false);
            Result tail = GuardSimulation.run(T, v1(rate, 0), Side.of(rate, 0).slow(0.05), Duration.ofMinutes(20), EVERY, 18,
                    true, false);
            Duration quiet = Duration.ofSeconds((long) Math.min(1200, 20_000 / rate));
            Result fine = GuardSimulation.run(T, v1(rate, 0), Side.of(rate, 0).slow(0.005), quiet, EVERY, 19, true, false);
            Result both = GuardSimulation.run(T, v1(rate, 0).slow(0.2), Side.of(rate, 0).slow(0.2), quiet, EVERY, 20, true,
                    false);
            report(String.format(Locale.ROOT, "latency | %7.1f/s", rate), String.format(Locale.ROOT,
                    "all V2 slow: %s; 5%% slow: %s; 0.5%% slow: %s; both 20%% slow: %s",
                    seconds(slow), seconds(tail), seconds(fine), seconds(both)));
            assertThat(slow.cause()).isEqualTo("p99-latency");
            assertThat(fine.latched()).as("V2's p99 under the threshold at %s/s", rate).isFalse();
            assertThat(both.latched()).as("both slow at %s/s", rate).isFalse();
            if (rate >= 10) {
                assertThat(tail.cause()).isEqualTo("p99-latency");
            }
        }
    }

    @Test
    void shouldCallAHealthyV2HealthyOnceTheEvidenceShowsIt() {
        for (double rate : RATES) {
            for (double errors : new double[] {0, 0.01}) {
                Result r = GuardSimulation.run(T, v1(rate, 0), Side.of(rate, errors), Duration.ofHours(1), EVERY, 21, false,
                        true);
                report(String.format(Locale.ROOT, "healthy | %7.1f/s | V2 %1.0f%%", rate, errors * 100),
                        r.firstHealthyAt() < 0 ? "never" : String.format(Locale.ROOT, "%.2f s", r.firstHealthyAt()));
                assertThat(r.latched()).isFalse();
                if (rate >= 1) {
                    assertThat(r.firstHealthyAt()).as("healthy V2 (%s errors) at %s/s", errors, rate)
                            .isPositive().isLessThanOrEqualTo(errors == 0 ? 150 / rate + 1 : 600);
                }
            }
        }
    }
}
