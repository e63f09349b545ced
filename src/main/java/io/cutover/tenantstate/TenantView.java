package io.cutover.tenantstate;

import java.time.Instant;
import java.util.List;

/**
 * One tenant as {@code GET /admin/tenants} and the {@code tenants} of {@code GET /admin/status} show it.
 *
 * @param since       when it entered its state; {@code null} when no state is recorded (it is then in dual-write)
 * @param forced      the move into this state overrode the verification gate
 * @param lastVerify  the verify run that counts for it (its own, else the last over every tenant), or {@code null}
 * @param allowedNext the states it may move to
 */
public record TenantView(String tenant, String state, Instant since, String by, String reason, boolean forced,
                         Verify lastVerify, List<String> allowedNext) {

    /**
     * @param run    the run's id in {@code cutover_migration_runs}
     * @param tenant the tenant the run was scoped to; {@code null} for a run over every tenant
     */
    public record Verify(Instant at, boolean equal, long differences, long run, String tenant) {
        static Verify of(LastVerify v) {
            return v == null ? null : new Verify(v.at(), v.equal(), v.differences(), v.run(), v.tenant());
        }
    }

    static TenantView of(String tenant, TenantState s, LastVerify last) {
        MigrationState state = s == null ? MigrationState.DUAL_WRITE : s.state();
        List<String> next = state.allowedNext().stream().map(MigrationState::id).toList();
        return s == null
                ? new TenantView(tenant, state.id(), null, null, null, false, Verify.of(last), next)
                : new TenantView(tenant, state.id(), s.since(), s.by(), s.reason(), s.forced(), Verify.of(last), next);
    }
}
