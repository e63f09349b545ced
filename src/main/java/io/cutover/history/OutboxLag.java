package io.cutover.history;

import java.util.Map;

/**
 * The outbox lag per target ({@code v1}, {@code v2}) in seconds, sampled once per interval for the curves.
 * The default ({@link MeterOutboxLag}) reads the outbox's gauge; another bean of this type replaces it.
 */
@FunctionalInterface
public interface OutboxLag {

    /** Per target, in seconds; empty when the router has no outbox. Called once per interval. */
    Map<String, Double> lagSeconds();
}
