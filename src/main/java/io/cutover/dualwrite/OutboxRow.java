package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * An outbox row read to send to its target. {@code pending} is false for a row whose primary answer
 * is not recorded yet (unconfirmed): an entity's run stops before it. {@code keyRound} counts the
 * target's 4xx answers that wrote nothing (each retry after one goes under a key of its own);
 * {@code viaPrimary} marks a row promoted from unconfirmed after the grace (V11).
 */
record OutboxRow(UUID id, long seq, boolean pending, Backend target, String method, String uri, String headersJson, Buffer body,
                 String tenant, String idempotencyKey, String entityKey, int attempts, int keyRound, boolean viaPrimary) {

    /**
     * The {@code Idempotency-Key} the target gets: the write's own, or after {@code n} answers that wrote
     * nothing, {@code <key>~<n>} (the target replays a stored answer to a key it has seen).
     */
    String targetKey() {
        return keyRound == 0 ? idempotencyKey : idempotencyKey + "~" + keyRound;
    }
}
