package io.cutover.tenantstate;

import java.time.Instant;

/**
 * The last completed verify run (exit 0 or 1) that counts for a tenant: its own ({@code verify --tenant}), else
 * the last one over everything. Failed runs (exit 2) compared nothing and do not count.
 *
 * @param run         the run's id in {@code cutover_migration_runs}
 * @param tenant      the tenant the run was scoped to, {@code null} for a run over everything
 * @param differences differing rows it found (0 when equal)
 */
public record LastVerify(long run, String tenant, Instant at, boolean equal, long differences) {

    /** For a message: when, which scope, what it found. */
    String describe() {
        return "verify run " + run + " (" + (tenant == null ? "over every tenant" : "tenant " + tenant) + ", " + at + ") "
                + (equal ? "found V1 and V2 equal" : "found " + differences + " differing rows");
    }
}
