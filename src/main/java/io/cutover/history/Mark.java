package io.cutover.history;

import java.time.Instant;

/**
 * A change of the rollback latch, drawn as a mark across the curves.
 *
 * @param at     on this replica's timeline (the same as the points'), when this replica learnt of it
 * @param event  {@code latched} or {@code released}
 * @param cause  {@code error-rate}, {@code p99-latency}, {@code operator}, {@code release}
 * @param reason the guard's finding or the operator's words
 * @param by     {@code guard} or {@code operator@<address>}
 * @param here   whether this replica made the change (false: adopted from another replica)
 * @param since  the latch's own timestamp of the change (the wall clock of the replica that made it)
 */
public record Mark(Instant at, String event, String cause, String reason, String by, boolean here, Instant since) {
}
