package io.cutover.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedLatchTest {

    private final SharedLatch latch = new SharedLatch(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldLatchByHandAndReleaseWithNamedTransitions() {
        List<String> seen = new ArrayList<>();
        latch.addListener((before, after, local) -> seen.add(before.state() + "->" + after.state() + (local ? " local" : "")));

        SharedLatch.Transition latched = latch.latchByHand("V2 is misbehaving", "operator@10.0.0.1", null);
        SharedLatch.Transition again = latch.latchByHand("twice", "operator@10.0.0.2", null);
        SharedLatch.Transition released = latch.release("fixed", "operator@10.0.0.1");
        SharedLatch.Transition releasedAgain = latch.release("fixed", "operator@10.0.0.1");

        assertThat(latched.changed()).isTrue();
        assertThat(latched.state().latched()).isTrue();
        assertThat(latched.state().by()).isEqualTo("operator@10.0.0.1");
        assertThat(latched.state().version()).isEqualTo(1);
        assertThat(again.changed()).isFalse();
        assertThat(again.state().reason()).isEqualTo("V2 is misbehaving");
        assertThat(released.changed()).isTrue();
        assertThat(released.state().latched()).isFalse();
        assertThat(released.state().version()).isEqualTo(2);
        assertThat(releasedAgain.changed()).isFalse();
        assertThat(seen).containsExactly("ARMED->LATCHED local", "LATCHED->ARMED local");
    }

    @Test
    void shouldRefuseAnIllegalTransitionOnTheState() {
        LatchState armed = LatchState.initial(Instant.EPOCH);
        assertThatThrownBy(() -> armed.release("x", "y", Instant.EPOCH)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already ARMED");
    }

    @Test
    void shouldAdoptAnotherReplicasStateUnlessALocalChangeCameFirst() {
        LatchState seen = latch.state();
        LatchState remote = new LatchState(LatchState.State.LATCHED, "operator", "from B", null,
                Instant.parse("2026-01-01T00:00:01Z"), "operator@b", 7);
        assertThat(latch.adopt(seen, remote)).isTrue();
        assertThat(latch.isLatched()).isTrue();
        assertThat(latch.adopt(seen, LatchState.initial(Instant.EPOCH))).isFalse();
        assertThat(latch.state()).isEqualTo(remote);
    }
}
