package io.cutover.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One line per period for an event that recurs on every request, and how many it did not print. */
class LogThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldLogTheFirstOccurrenceThenOnePerPeriodWithTheCountOfThoseNotLogged() {
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10));
        long t0 = -5 * SECOND; // nanoTime may be negative

        assertThat(throttle.admit(t0)).as("the first: logged, nothing before it").isZero();
        assertThat(throttle.admit(t0 + 1)).as("within the period: counted").isEqualTo(-1);
        assertThat(throttle.admit(t0 + 9 * SECOND)).isEqualTo(-1);
        assertThat(throttle.admit(t0 + 10 * SECOND)).as("the period is over: logged, with the two not logged").isEqualTo(2);
        assertThat(throttle.admit(t0 + 11 * SECOND)).isEqualTo(-1);
        assertThat(throttle.admit(t0 + 60 * SECOND)).as("long after: logged, one not logged since").isEqualTo(1);
    }
}
