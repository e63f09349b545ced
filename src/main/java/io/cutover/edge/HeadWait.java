package io.cutover.edge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection's waits for a request head: from accept to the first head, and on a keep-alive connection from the
 * first byte of each later request to its head. Between a written response and the next request's first byte the
 * connection is idle, neither half-open nor timed here ({@code quarkus.http.idle-timeout} applies): a load balancer or
 * ingress keeps idle connections to the router for a minute or more and reuses them, and closing one at the header
 * timeout would race with the request it sends on it (hyper's header-read timeout works the same way).
 *
 * <p>While it waits it holds a place in {@link HalfOpen}, and the connection has one timer on its event loop.
 * A head that arrives does not cancel the timer, and the next wait does not set a new one: when the timer fires it
 * closes the connection if the current wait is older than the timeout, sets itself again for what is left of a wait
 * that began later, and ends if the connection is not waiting (as Netty's {@code IdleStateHandler} does). So a busy
 * keep-alive connection costs at most one timer per timeout, not one per request. Everything but {@link #evict(long)}
 * runs on that event loop.
 *
 * <p>A connection closed for being slow gets an answer only when part of a head had arrived and the connection is
 * plain HTTP/1 (408 for the timeout, 503 for the limit, both with {@code Connection: close}): an answer on a
 * connection where the client sent nothing yet would be read as the answer to the request it sends next.
 */
final class HeadWait {

    private static final ByteBuf TIMEOUT = answer("408 Request Timeout");
    private static final ByteBuf LIMIT = answer("503 Service Unavailable");

    /** The accepting handler's context, at the head of the pipeline: what is written here bypasses the HTTP encoder. */
    private final ChannelHandlerContext ctx;
    private final HalfOpen halfOpen;
    private final long timeoutNanos;
    private final SlowClientMetrics metrics;

    /** 0 while not waiting. */
    private long ticket;
    /** {@link System#nanoTime()} when the current wait began (Netty's timers run on the same clock). */
    private long waitingSince;
    private ScheduledFuture<?> timer;
    private boolean partOfAHead;
    /** Heads arrived whose response is not written yet (more than one when requests are pipelined). */
    private int inFlight;
    private boolean http1;
    /** Between two requests of a keep-alive connection, before a byte of the next one. */
    private boolean idle;
    private boolean over;

    HeadWait(ChannelHandlerContext ctx, HalfOpen halfOpen, long timeoutNanos, SlowClientMetrics metrics) {
        this.ctx = ctx;
        this.halfOpen = halfOpen;
        this.timeoutNanos = timeoutNanos;
        this.metrics = metrics;
    }

    /** Starts a wait: at accept, and at the first byte after an idle keep-alive pause. */
    void start() {
        if (over || ticket != 0) {
            return;
        }
        partOfAHead = false;
        waitingSince = System.nanoTime();
        ticket = halfOpen.enter(this);
        if (timer == null) {
            timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The connection speaks HTTP/1 and its request heads are watched from now on. */
    void http1() {
        http1 = true;
    }

    /** Bytes arrived (any: a head's, or a body's). The first byte after an idle keep-alive pause starts a wait. */
    void read() {
        if (idle) {
            idle = false;
            start();
        }
        if (ticket != 0) {
            partOfAHead = true;
        }
    }

    /** A whole request head was decoded. */
    void headArrived() {
        inFlight++;
        stopWaiting();
    }

    /**
     * The last byte of a response (not an interim 1xx) was written out. With nothing else in flight the connection is an
     * idle keep-alive connection: not half-open, no timer, until the first byte of its next request arrives.
     */
    void responseWritten() {
        if (inFlight > 0 && --inFlight == 0 && ctx.channel().isActive()) {
            idle = true;
        }
    }

    /** The connection is closed, or no longer HTTP/1 (HTTP/2 after ALPN): no more waits. */
    void over() {
        over = true;
        stopWaiting();
    }

    /** Called by {@link HalfOpen} from any thread: the wait with this ticket was taken out for being the oldest. */
    void evict(long evicted) {
        ctx.executor().execute(() -> {
            if (ticket == evicted) {
                ticket = 0;       // HalfOpen has let go of it already
                close(LIMIT, SlowClientMetrics.Reason.LIMIT);
            }
        });
    }

    private void expire() {
        timer = null;
        if (ticket == 0) {
            return;                 // the wait it was set for is over; the next one sets its own
        }
        long left = waitingSince + timeoutNanos - System.nanoTime();
        if (left > 0) {             // set for an earlier wait of this connection: the current one began later
            timer = ctx.executor().schedule(this::expire, left, TimeUnit.NANOSECONDS);
            return;
        }
        halfOpen.leave(ticket);
        ticket = 0;
        close(TIMEOUT, SlowClientMetrics.Reason.TIMEOUT);
    }

    private void close(ByteBuf answer, SlowClientMetrics.Reason reason) {
        boolean answered = partOfAHead && http1 && ctx.pipeline().get(SslHandler.class) == null;
        over();
        metrics.closed(reason);
        if (answered) {
            ctx.writeAndFlush(answer.duplicate()).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    /** Leaves the half-open set; the timer stays (see the class comment) unless the connection is over. */
    private void stopWaiting() {
        if (ticket != 0) {
            halfOpen.leave(ticket);
            ticket = 0;
        }
        if (over && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static ByteBuf answer(String status) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(
                "HTTP/1.1 " + status + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
    }
}
