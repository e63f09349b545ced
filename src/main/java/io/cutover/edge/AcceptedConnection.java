package io.cutover.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;

/**
 * First handler of every accepted connection (put there by {@link AcceptHook} before Vert.x sets the connection up):
 * starts its first wait for a head, notes that bytes arrived, and once Vert.x has set up HTTP/1 (at once on a plain
 * connection, after the handshake with TLS) puts a {@link HeadWatcher} behind the HTTP codec, and makes every answer's
 * status line say HTTP/1.1 ({@link NettyChannels#answerAsHttp11}). A connection that turns
 * out to be HTTP/2 leaves the guard. Per read it does one field write and, until the codec is found, one lookup.
 */
final class AcceptedConnection extends ChannelInboundHandlerAdapter {

    static final String NAME = "cutover-accepted";

    private final SlowClientGuard guard;
    private HeadWait wait;
    private boolean settled;

    AcceptedConnection(SlowClientGuard guard) {
        this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        wait = guard.newWait(ctx);
        wait.start();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        settle(ctx.pipeline());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        wait.read();
        ctx.fireChannelRead(msg);
        if (!settled) {
            settle(ctx.pipeline());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        wait.over();
        ctx.fireChannelInactive();
    }

    private void settle(ChannelPipeline pipeline) {
        if (settled) {
            return;
        }
        ChannelHandlerContext encoder = pipeline.context(HttpResponseEncoder.class);
        if (encoder != null) {
            settled = true;
            wait.http1();
            pipeline.addAfter(encoder.name(), HeadWatcher.NAME, new HeadWatcher(wait));
            NettyChannels.answerAsHttp11(pipeline);
        } else if (pipeline.get(Http2ConnectionHandler.class) != null) {
            settled = true;
            wait.over();
        }
    }
}
