package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * A write to repeat on the secondary: what the client sent to the primary, with the idempotency
 * key that both sides see, the entity it belongs to, and whether it is ordered behind the entity's
 * earlier writes ({@code false} for a resource of its own, such as a reading: see {@link EntityKeys}).
 */
public record WriteIntent(UUID id, Backend target, String method, String uri, String headersJson, Buffer body,
                          String tenant, String idempotencyKey, String entityKey, boolean ordered) {

    /** The same intent once the primary has answered: final target, body (with the primary's fields), entity. */
    WriteIntent settled(Backend target, Buffer body, String entityKey) {
        return new WriteIntent(id, target, method, uri, headersJson, body, tenant, idempotencyKey, entityKey, ordered);
    }
}
