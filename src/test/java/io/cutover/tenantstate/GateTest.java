package io.cutover.tenantstate;

import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.tenantstate.Gate.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GateTest {

    private static final LastVerify EQUAL = new LastVerify(7, "acme", Instant.parse("2026-11-22T08:00:00Z"), true, 0);
    private static final LastVerify DIFFERENT = new LastVerify(8, null, Instant.parse("2026-11-22T08:10:00Z"), false, 5);

    @Test
    void shouldAllowTheNextStateAndEveryEarlierOneOnly() {
        assertThat(MigrationState.DUAL_WRITE.allowedNext()).containsExactly(MigrationState.BACKFILLED);
        assertThat(MigrationState.READS_ON_V2.allowedNext()).containsExactly(MigrationState.WRITES_ON_V2,
                MigrationState.DUAL_WRITE, MigrationState.BACKFILLED, MigrationState.VERIFIED);
        assertThat(MigrationState.WRITES_ON_V2.allowedNext()).hasSize(4).doesNotContain(MigrationState.WRITES_ON_V2);
        assertThat(Gate.check("acme", MigrationState.BACKFILLED, MigrationState.READS_ON_V2, EQUAL, true).kind())
                .isEqualTo(Kind.INVALID);
        assertThat(Gate.check("acme", null, MigrationState.DUAL_WRITE, null, false).kind()).isEqualTo(Kind.ALLOWED);
        assertThat(Gate.check("acme", MigrationState.DUAL_WRITE, MigrationState.DUAL_WRITE, null, false).kind())
                .isEqualTo(Kind.INVALID);
    }

    @Test
    void shouldGateForwardMovesTowardsV2OnTheLastVerify() {
        assertThat(Gate.check("acme", MigrationState.DUAL_WRITE, MigrationState.BACKFILLED, null, false).kind())
                .as("backfilled needs no verify").isEqualTo(Kind.ALLOWED);
        assertThat(Gate.check("acme", MigrationState.BACKFILLED, MigrationState.VERIFIED, EQUAL, false).kind())
                .isEqualTo(Kind.ALLOWED);
        Gate.Verdict refused = Gate.check("acme", MigrationState.VERIFIED, MigrationState.READS_ON_V2, DIFFERENT, false);
        assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
        assertThat(refused.message()).contains("verify run 8", "over every tenant", "found 5 differing rows", "\"force\": true");
        assertThat(Gate.check("acme", MigrationState.VERIFIED, MigrationState.READS_ON_V2, null, false).message())
                .contains("no verify run is recorded for tenant acme");
        assertThat(Gate.check("acme", MigrationState.VERIFIED, MigrationState.READS_ON_V2, DIFFERENT, true).kind())
                .isEqualTo(Kind.FORCED);
        assertThat(Gate.check("acme", MigrationState.WRITES_ON_V2, MigrationState.READS_ON_V2, DIFFERENT, false).kind())
                .as("a rollback of the tenant is never gated").isEqualTo(Kind.ALLOWED);
    }

    @Test
    void shouldRefuseAPinOnlyWhenTheLastVerifyFoundDifferences() {
        assertThat(Gate.pinProblem("acme", null)).isNull();
        assertThat(Gate.pinProblem("acme", EQUAL)).isNull();
        assertThat(Gate.pinProblem("acme", DIFFERENT)).contains("found 5 differing rows");
    }

    @Test
    void shouldPreferTheTenantsOwnVerifyOverTheGlobalOne() {
        var s = new TenantSnapshot(java.util.Map.of(), java.util.Map.of("acme", EQUAL), DIFFERENT);
        assertThat(s.lastVerify("acme")).isEqualTo(EQUAL);
        assertThat(s.lastVerify("beta")).isEqualTo(DIFFERENT);
        assertThat(s.phase(null)).isEqualTo(io.cutover.routing.TenantPhases.Phase.FOLLOW_POLICY);
    }
}
