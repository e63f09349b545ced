package io.cutover.migration.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.migration.Sleeper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<Long> sleeps = new ArrayList<>();
    private final Sleeper sleeper = nanos -> {
        sleeps.add(nanos);
        now.addAndGet(nanos);
    };

    @Test
    void shouldHoldBatchesToTheRate() {
        Throttle throttle = new Throttle(1000, now::get, sleeper);

        for (int i = 0; i < 5; i++) {
            throttle.acquire(500);
        }

        // 2,000 rows were granted before the fifth batch: at 1,000 rows/s it may start after 2 s.
        assertThat(now.get() - 1_000).isEqualTo(2_000_000_000L);
        assertThat(sleeps).hasSize(4).allSatisfy(s -> assertThat(s).isEqualTo(500_000_000L));
    }

    @Test
    void shouldNotWaitWhenTheCopyIsSlowerThanTheRate() {
        Throttle throttle = new Throttle(1000, now::get, sleeper);

        throttle.acquire(500);
        now.addAndGet(1_000_000_000L);
        throttle.acquire(500);

        assertThat(sleeps).isEmpty();
    }

    @Test
    void shouldNeverWaitWithoutALimit() {
        Throttle throttle = new Throttle(0, now::get, sleeper);

        throttle.acquire(1_000_000);
        throttle.acquire(1_000_000);

        assertThat(sleeps).isEmpty();
    }
}
