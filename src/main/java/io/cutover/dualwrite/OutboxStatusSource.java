package io.cutover.dualwrite;

/**
 * Where {@code GET /admin/status} gets the outbox figures. The outbox provides a bean of this type;
 * the default one answers {@link OutboxStatus#NOT_AVAILABLE}.
 */
@FunctionalInterface
public interface OutboxStatusSource {

    /** Answers from memory or a cheap query; called once per status request. */
    OutboxStatus outboxStatus();
}
