package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/** A claimed outbox row, to send to its target. */
record OutboxRow(UUID id, long seq, Backend target, String method, String uri, String headersJson, Buffer body,
                 String tenant, String idempotencyKey, String entityKey, int attempts) {
}
