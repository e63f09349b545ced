package io.cutover.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpVersion;
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

    /**
     * Every answer on this HTTP/1 connection goes out with the status line {@code HTTP/1.1}. Vert.x writes a response
     * with the version of its request, and Netty's decoder takes any {@code NAME/x.y} as one: a request line ending in
     * {@code XYZ/1.1} or {@code HTTP/9.9} would get {@code XYZ/1.1 505} (or Vert.x's own {@code XYZ/1.1 501}) back.
     * Every connection the slow-client guard sees gets this when Vert.x sets up HTTP/1 ({@link AcceptedConnection});
     * the screen calls it for one it did not see, on the connection's event loop, before the answer is written.
     */
    static void answerAsHttp11(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            answerAsHttp11(base.channel().pipeline());
        }
    }

    static void answerAsHttp11(ChannelPipeline pipeline) {
        ChannelHandlerContext encoder = pipeline.context(HttpResponseEncoder.class);
        if (encoder != null && pipeline.get(Http11StatusLine.NAME) == null) {
            pipeline.addAfter(encoder.name(), Http11StatusLine.NAME, Http11StatusLine.INSTANCE);
        }
    }

    /** Between Vert.x and the HTTP/1 encoder: a response of another version than 1.0 or 1.1 is written as 1.1. */
    @ChannelHandler.Sharable
    private static final class Http11StatusLine extends ChannelOutboundHandlerAdapter {

        static final String NAME = "cutover-http11-status-line";
        static final Http11StatusLine INSTANCE = new Http11StatusLine();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse r && r.protocolVersion() != HttpVersion.HTTP_1_1
                    && r.protocolVersion() != HttpVersion.HTTP_1_0) {
                r.setProtocolVersion(HttpVersion.HTTP_1_1);
            }
            ctx.write(msg, promise);
        }
    }
}
