package io.cutover.proxy;

import io.cutover.routing.Backend;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * A backend's answer as far as it was read: its head, and either the whole body ({@code complete}),
 * a first part of it (a larger answer that will stream on), or nothing yet ({@code body == null}).
 */
record BackendAnswer(Backend backend, HttpClientResponse response, Buffer body, boolean complete) {

    /** Lets go of an answer that will not be relayed, keeping the connection when it was read whole. */
    void discard() {
        if (!complete) {
            response.request().reset();
        }
    }
}
