package io.cutover.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.routing.Backend;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {

    private final PolicyParser parser = new PolicyParser();

    @Test
    void shouldReadEveryKeyOfTheContract() throws Exception {
        TrafficPolicy p = parser.parse("""
                v2Weight: 12.5
                stickyBy: header:X-User
                stickySalt: wave-2
                tenants:
                  acme: v2
                  fragile: V1
                dualWrite: false
                shadowReads: 0.25
                rollback:
                  errorRate: 0.1
                  minRequests: 50
                  window: 2m
                  p99LatencyMs: 750
                """, "test");
        assertThat(p.v2Weight()).isEqualTo(12.5);
        assertThat(p.v2Buckets()).isEqualTo(1250);
        assertThat(p.stickyBy()).isEqualTo(new StickyBy(StickyBy.Kind.HEADER, "X-User"));
        assertThat(p.stickySalt()).isEqualTo("wave-2");
        assertThat(p.pins()).containsEntry("acme", Backend.V2).containsEntry("fragile", Backend.V1);
        assertThat(p.dualWrite()).isFalse();
        assertThat(p.shadowReads()).isEqualTo(0.25);
        assertThat(p.rollback()).isEqualTo(new RollbackThresholds(0.1, 50, Duration.ofMinutes(2), 750));
    }

    @Test
    void shouldReadTheGuardsConfidencesHorizonAndLatencyMargin() throws Exception {
        TrafficPolicy p = parser.parse("""
                rollback:
                  errorRate: 0.02
                  confidence: 0.999
                  promoteConfidence: 0.9
                  horizon: 5m
                  latencyMargin: 0.02
                """, "test");
        assertThat(p.rollback()).isEqualTo(new RollbackThresholds(0.02, RollbackThresholds.DEFAULT_MIN_REQUESTS,
                RollbackThresholds.DEFAULT_WINDOW, RollbackThresholds.DEFAULT_P99_LATENCY_MS, 0.999, 0.9,
                Duration.ofMinutes(5), 0.02));
    }

    @Test
    void shouldReadAForcedPinBesideThePlainForm() throws Exception {
        TrafficPolicy p = parser.parse("tenants:\n  acme: {backend: v2, force: true}\n  beta: v2\n"
                + "  gamma: {backend: v2, force: false}\n  held: {backend: v1}\n", "test");
        assertThat(p.pins()).containsEntry("acme", Backend.V2).containsEntry("beta", Backend.V2)
                .containsEntry("gamma", Backend.V2).containsEntry("held", Backend.V1);
        assertThat(p.forcedPins()).containsExactly("acme");
    }

    @Test
    void shouldFillMissingKeysWithTheDefaults() throws Exception {
        TrafficPolicy p = parser.parse("v2Weight: 5\n", "test");
        assertThat(p.stickyBy()).isEqualTo(StickyBy.TENANT);
        assertThat(p.dualWrite()).isTrue();
        assertThat(p.pins()).isEmpty();
        assertThat(p.rollback()).isEqualTo(RollbackThresholds.DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "v2Weight: 150                  | v2Weight: 150 (expected: a number from 0 to 100)",
            "v2Weight: -1                   | v2Weight: -1",
            "v2Weight: lots                 | v2Weight: 'lots' (expected: a number from 0 to 100)",
            "tenants: {acme: v3}            | tenants.acme: 'v3' (expected: v1 or v2)",
            "tenants: {acme: {backend: v3}} | tenants.acme.backend: 'v3' (expected: v1 or v2)",
            "tenants: {acme: {force: true}} | tenants.acme.backend: missing (expected: v1 or v2)",
            "'tenants: {acme: {backend: v2, force: yes please}}' | tenants.acme.force: 'yes please' (expected: true or false)",
            "'tenants: {acme: {backend: v2, forced: true}}' | tenants.acme.forced: unknown key (expected one of [backend, force])",
            "tenants: {acme: 2}             | tenants.acme: 2 (expected: v1, v2 or {backend: v1|v2, force: true|false})",
            "v2weight: 10                   | v2weight: unknown key (expected one of",
            "stickyBy: cookie               | stickyBy: 'cookie' (expected: tenant, device, random or header:<Name>)",
            "shadowReads: 2                 | shadowReads: 2",
            "dualWrite: sometimes           | dualWrite: 'sometimes' (expected: true or false)",
            "rollback: {window: soon}       | rollback.window: 'soon' (expected: a positive duration",
            "rollback: {minRequests: 0}     | rollback.minRequests: 0",
            "rollback: {errorRat: 0.1}      | rollback.errorRat: unknown key",
            "rollback: {confidence: 1}      | rollback.confidence: 1 (expected: below 1: certainty is never reached)",
            "rollback: {confidence: 0.3}    | rollback.confidence: 0.3 (expected: a number from 0.5 to 1, exclusive",
            "rollback: {promoteConfidence: high} | rollback.promoteConfidence: 'high' (expected: a number from 0.5 to 1",
            "rollback: {horizon: 2h}        | rollback.horizon: 2h (expected: from 1s to 60m)",
            "rollback: {horizon: 0s}        | rollback.horizon: '0s' (expected: a positive duration",
            "rollback: {latencyMargin: -1}  | rollback.latencyMargin: -1 (expected: a number from 0 to 1)",
            "'v2Weight: [1, 2'              | not valid YAML at line",
            "'- 1'                          | top level is a list",
            "''                             | empty file"})
    void shouldRefuseABadPolicyNamingTheFieldAndWhatWasExpected(String yaml, String message) {
        assertThatThrownBy(() -> parser.parse(yaml, "/etc/cutover/policy.yaml"))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("/etc/cutover/policy.yaml")
                .hasMessageContaining(message);
    }

    @Test
    void shouldReportEveryProblemOfOneFileAtOnce() {
        assertThatThrownBy(() -> parser.parse("v2Weight: 101\ntenants: {a: v9}\nextra: 1\n", "f"))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.problems()).hasSize(3));
    }

    @Test
    void shouldRefuseDuplicateKeys() {
        assertThatThrownBy(() -> parser.parse("v2Weight: 10\nv2Weight: 90\n", "f"))
                .isInstanceOf(InvalidPolicyException.class).hasMessageContaining("v2Weight");
    }
}
