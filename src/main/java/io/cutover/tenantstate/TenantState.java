package io.cutover.tenantstate;

import java.time.Instant;

/** One tenant's recorded state: since when, set by whom, why, and whether the gate was overridden. */
public record TenantState(String tenant, MigrationState state, Instant since, String by, String reason, boolean forced) {
}
