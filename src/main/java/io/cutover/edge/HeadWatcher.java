package io.cutover.edge;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sits between the HTTP/1 codec and Vert.x's connection: a decoded {@link HttpRequest} is a whole head (the wait ends),
 * and when the last part of a response (not an interim 1xx: {@code 100 Continue}, {@code 101} for a WebSocket) has been
 * written to the socket, the connection is idle until the first byte of its next request.
 */
final class HeadWatcher extends ChannelDuplexHandler {

    static final String NAME = "cutover-head-watch";

    private final HeadWait wait;

    HeadWatcher(HeadWait wait) {
        this.wait = wait;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            wait.headArrived();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            ctx.write(msg, promise);
        } else if (msg instanceof LastHttpContent) {
            ChannelPromise written = promise.unvoid();
            written.addListener(f -> wait.responseWritten());
            ctx.write(msg, written);
        } else {
            ctx.write(msg, promise);
        }
    }
}
