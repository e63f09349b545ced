package io.cutover.tenantstate;

import java.time.Instant;

/**
 * One move of a tenant, as {@code GET /admin/tenants/{tenant}} lists it.
 *
 * @param from      the state before, {@code null} for the tenant's first move
 * @param forced    the move was refused by the verification gate and made anyway ({@code "force": true})
 * @param verifyRun the verify run the gate looked at, {@code null} when there was none
 */
public record Transition(String from, String to, String by, String reason, Instant at, boolean forced, Long verifyRun) {
}
