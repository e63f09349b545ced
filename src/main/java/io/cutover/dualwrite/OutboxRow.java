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

    /**
     * Whether this (ordered) row deletes its entity's record itself: a {@code DELETE} whose path ends in the entity's
     * id ({@code DELETE /api/devices/d-1} under {@code device:d-1}), not one of the record's sub-resources.
     */
    boolean deletesRecord() {
        int colon = entityKey.indexOf(':');
        if (!"DELETE".equals(method) || colon < 0 || entityKey.startsWith(EntityKeys.TENANT)) {
            return false;
        }
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        String id = entityKey.substring(colon + 1);
        return path.startsWith(id, end - id.length()) && end - id.length() > 0 && path.charAt(end - id.length() - 1) == '/';
    }
}
