package io.cutover.edge;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * In the listening (server) channel's pipeline, ahead of Netty's acceptor: every accepted connection gets an
 * {@link AcceptedConnection} as its first handler before Vert.x sets it up. The same for NIO and epoll: both hand
 * the accepted {@link Channel} down the server channel's pipeline.
 */
@ChannelHandler.Sharable
final class AcceptHook extends ChannelInboundHandlerAdapter {

    static final String NAME = "cutover-accept-hook";

    private final SlowClientGuard guard;

    AcceptHook(SlowClientGuard guard) {
        this.guard = guard;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            child.pipeline().addFirst(AcceptedConnection.NAME, new AcceptedConnection(guard));
        }
        ctx.fireChannelRead(msg);
    }
}
