package io.cutover.history;

import java.time.Instant;
import java.util.Map;

/**
 * One interval of the curves.
 *
 * @param start            when the interval began (it lasts {@code cutover.history.interval})
 * @param v1               V1's figures over it
 * @param v2               V2's figures over it
 * @param v2Weight         the effective V2 weight when it closed (0 while latched)
 * @param outboxLagSeconds per outbox target ({@code v1}, {@code v2}): the lag when it closed; empty without an outbox
 */
public record Point(Instant start, BackendPoint v1, BackendPoint v2, Double v2Weight, Map<String, Double> outboxLagSeconds) {
}
