package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Outbox row ids and generated idempotency keys: RFC 9562 version 7, ordered by time, distinct. */
class IdsTest {

    @Test
    void shouldBeVersion7WithTheRfcVariantAndTheMillisecondsInFront() {
        UUID id = Ids.at(0x0123_4567_89ABL, ThreadLocalRandom.current());
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.toString()).startsWith("01234567-89ab-7");
    }

    @Test
    void shouldSortByTimeAcrossMillisecondsAndNeverRepeat() {
        UUID earlier = Ids.at(1_700_000_000_000L, ThreadLocalRandom.current());
        UUID later = Ids.at(1_700_000_000_001L, ThreadLocalRandom.current());
        assertThat(earlier.toString()).isLessThan(later.toString());
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            assertThat(seen.add(Ids.next())).isTrue();
        }
    }
}
