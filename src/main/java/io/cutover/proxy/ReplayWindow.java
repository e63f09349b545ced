package io.cutover.proxy;

import io.cutover.routing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * Holds a backend's answer back (a known small length is read whole and written to the client in
 * one go, which also saves a flush) up to a limit in bytes, and for a read up to a window in time
 * after its first byte, before anything reaches the client, so that a backend failing mid-answer can
 * still be replaced by another. An answer larger than the limit, or not ended within the window, is
 * handed over paused, with the part read so far, to stream on.
 */
final class ReplayWindow {

    private ReplayWindow() {
    }

    /**
     * @param holdUnknownLength also hold back an answer without {@code Content-Length} (chunked);
     *                          otherwise only an answer of known length within the limit is held,
     *                          and a chunked one streams at once (it may be a slow stream)
     * @param windowMs          once the first byte of the body came, hold at most this long more before
     *                          handing over what was read to stream on; negative: until the end (or the limit)
     */
    static Future<BackendAnswer> collect(Backend backend, HttpClientResponse response, int limit, boolean holdUnknownLength,
                                         long windowMs) {
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = length == null ? -1 : parseLength(length);
        if (declared > limit || (declared < 0 && !holdUnknownLength)) {
            response.pause();
            return Future.succeededFuture(new BackendAnswer(backend, response, null, false));
        }
        Promise<BackendAnswer> done = Promise.promise();
        Buffer acc = Buffer.buffer(declared < 0 ? 512 : (int) declared);
        long[] timer = {-1};
        Vertx vertx = windowMs >= 0 ? Vertx.currentContext().owner() : null;
        Runnable handOver = () -> {
            response.pause();
            response.handler(null);
            response.endHandler(null);
            response.exceptionHandler(null);
            done.tryComplete(new BackendAnswer(backend, response, acc, false));
        };
        response.handler(chunk -> {
            acc.appendBuffer(chunk);
            if (acc.length() > limit) {
                handOver.run();
            } else if (vertx != null && timer[0] < 0) {
                timer[0] = vertx.setTimer(Math.max(1, windowMs), id -> {
                    if (!done.future().isComplete()) {
                        handOver.run();
                    }
                });
            }
        });
        response.endHandler(v -> {
            if (timer[0] >= 0) {
                vertx.cancelTimer(timer[0]);
            }
            done.tryComplete(new BackendAnswer(backend, response, acc, true));
        });
        response.exceptionHandler(err -> {
            if (timer[0] >= 0) {
                vertx.cancelTimer(timer[0]);
            }
            done.tryFail(err);
        });
        response.resume();
        return done.future();
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
