package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * An outbox row read to send to its target. {@code pending} is false for a row whose primary answer
 * is not recorded yet (unconfirmed): an entity's run stops before it.
 */
record OutboxRow(UUID id, long seq, boolean pending, Backend target, String method, String uri, String headersJson, Buffer body,
                 String tenant, String idempotencyKey, String entityKey, int attempts) {
}
