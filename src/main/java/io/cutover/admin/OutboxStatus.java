package io.cutover.admin;

/**
 * The dual-write outbox as {@code GET /admin/status} shows it. Filled by the outbox (another issue)
 * through an {@link OutboxStatusSource} bean; until then {@link #NOT_AVAILABLE}.
 *
 * @param available   whether an outbox reports at all
 * @param pending     intents not yet delivered to the secondary
 * @param oldestAgeMs age of the oldest pending intent, 0 when none
 */
public record OutboxStatus(boolean available, long pending, long oldestAgeMs) {

    public static final OutboxStatus NOT_AVAILABLE = new OutboxStatus(false, 0, 0);
}
