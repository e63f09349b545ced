package io.cutover.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy's {@code progression} and {@code testers}: read as written, or refused with what was expected. */
class ProgressionPolicyTest {

    private final PolicyParser parser = new PolicyParser();

    @Test
    void shouldReadTheProgressionOfTheContract() throws Exception {
        TrafficPolicy p = parser.parse("""
                progression:
                  steps: [1, 5, 25, 50, 100]
                  interval: 10m
                  gates:
                    50: manual
                testers: [qa]
                """, "test");
        assertThat(p.progression()).isEqualTo(new ProgressionPlan(List.of(1.0, 5.0, 25.0, 50.0, 100.0),
                Duration.ofMinutes(10), Set.of(50.0)));
        assertThat(p.v2Weight()).as("the target: the last step").isEqualTo(100);
        assertThat(p.testers()).containsExactly("qa");
    }

    @Test
    void shouldAcceptV2WeightEqualToTheLastStep() throws Exception {
        TrafficPolicy p = parser.parse("v2Weight: 50\nprogression: {steps: [10, 50]}\n", "test");
        assertThat(p.progression().interval()).isEqualTo(ProgressionPlan.DEFAULT_INTERVAL);
    }

    @Test
    void shouldRefuseV2WeightThatIsNotTheLastStep() {
        assertThatThrownBy(() -> parser.parse("v2Weight: 25\nprogression: {steps: [1, 5, 25, 50, 100]}\n", "p.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("v2Weight: 25 (expected: absent or 100.0, the last step");
    }

    @Test
    void shouldNameEveryBadPartOfAProgression() {
        assertThatThrownBy(() -> parser.parse("""
                progression:
                  steps: [5, 1, 150]
                  interval: soon
                  gates: {40: manual, 5: auto}
                  step: 3
                testers: qa
                """, "p.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("progression.steps[1]: 1 (expected: a weight from 0 to 100, above the step before, 5.0)")
                .hasMessageContaining("progression.steps[2]: 150")
                .hasMessageContaining("progression.interval: 'soon' (expected: a positive duration")
                .hasMessageContaining("progression.gates.40: not a step")
                .hasMessageContaining("progression.gates.5: 'auto' (expected: manual)")
                .hasMessageContaining("progression.step: unknown key")
                .hasMessageContaining("testers: 'qa' (expected: a list of tenants");
    }

    @Test
    void shouldRefuseAProgressionWithoutSteps() {
        assertThatThrownBy(() -> parser.parse("progression: {interval: 5m}\n", "p.yaml"))
                .hasMessageContaining("progression.steps: missing");
    }

    @Test
    void shouldHaveNoProgressionWhenAbsent() throws Exception {
        TrafficPolicy p = parser.parse("v2Weight: 10\n", "test");
        assertThat(p.progression()).isNull();
        assertThat(p.testers()).isEmpty();
    }
}
