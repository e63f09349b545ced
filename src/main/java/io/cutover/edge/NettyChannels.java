package io.cutover.edge;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The one place that reaches below Vert.x's public API: the Netty channel of an HTTP server connection. Vert.x 4.5's
 * {@code HttpConnection} does not expose it; every server connection (HTTP/1 and HTTP/2) is a {@link ConnectionBase},
 * whose {@code channel()} is a public method (no reflection, nothing to register for a native image).
 */
final class NettyChannels {

    private NettyChannels() {
    }

    /** The listening channel that accepted this connection, or null (not a Vert.x connection over a socket). */
    static Channel listenerOf(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            return base.channel().parent();
        }
        return null;
    }
}
