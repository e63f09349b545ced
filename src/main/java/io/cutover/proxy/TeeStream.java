package io.cutover.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A read stream that also hands every chunk to a tap as it passes (a shadow read keeping the client's answer). */
final class TeeStream implements ReadStream<Buffer> {

    private final ReadStream<Buffer> in;
    private final Handler<Buffer> tap;

    TeeStream(ReadStream<Buffer> in, Handler<Buffer> tap) {
        this.in = in;
        this.tap = tap;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        in.handler(handler == null ? null : chunk -> {
            tap.handle(chunk);
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        in.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        in.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        in.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        in.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        in.endHandler(endHandler);
        return this;
    }
}
