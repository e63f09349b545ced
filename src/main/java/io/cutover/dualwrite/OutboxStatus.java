package io.cutover.dualwrite;

import java.util.List;
import java.util.Map;

/**
 * The dual-write outbox as {@code GET /admin/status} shows it, filled by the outbox through an
 * {@link OutboxStatusSource} bean ({@link #NOT_AVAILABLE} without one).
 *
 * @param available    whether an outbox reports at all
 * @param pending      intents not yet delivered to the secondary, all targets
 * @param oldestAgeMs  age of the oldest of them, 0 when none
 * @param failed       rows a target refused (4xx): they need an operator
 * @param database     {@code up} or {@code down} (the router's own PostgreSQL)
 * @param mode         {@code buffer} or {@code strict} (what a write does while the database is down)
 * @param heldInMemory intents held in memory while the database is down
 * @param targets      per target ({@code v1}, {@code v2}): pending, oldestAgeMs, lagSeconds, failed, blockedEntities
 * @param lastGap      the last span whose intents could not be stored at once (from, to, held,
 *                     flushed, lost), or {@code null}; lost > 0 means: backfill that span
 * @param lagSeconds   the larger lag of the two targets (the metric {@code cutover_outbox_lag_seconds})
 * @param blocked      the entities blocked longest by a failing row (target, entity, since, attempts,
 *                     reason, waiting: rows queued behind it), at most ten
 */
public record OutboxStatus(boolean available, long pending, long oldestAgeMs, long failed, String database, String mode,
                           int heldInMemory, Map<String, Map<String, Object>> targets, Map<String, Object> lastGap,
                           double lagSeconds, List<Map<String, Object>> blocked) {

    public static final OutboxStatus NOT_AVAILABLE = new OutboxStatus(false, 0, 0, 0, "unknown", "none", 0, Map.of(), null,
            0, List.of());
}
