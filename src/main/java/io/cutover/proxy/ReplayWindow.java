package io.cutover.proxy;

import io.cutover.routing.Backend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;

/**
 * Holds a backend's answer back (a known small length is read whole and written to the client in
 * one go, which also saves a flush) up to a limit before anything reaches the client, so that a
 * backend failing mid-answer can still be replaced by another. An answer larger than the limit is
 * handed over paused, with the part read so far, to stream on.
 */
final class ReplayWindow {

    private ReplayWindow() {
    }

    /**
     * @param holdUnknownLength also hold back an answer without {@code Content-Length} (chunked);
     *                          otherwise only an answer of known length within the limit is held,
     *                          and a chunked one streams at once (it may be a slow stream)
     */
    static Future<BackendAnswer> collect(Backend backend, HttpClientResponse response, int limit, boolean holdUnknownLength) {
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = length == null ? -1 : parseLength(length);
        if (declared > limit || (declared < 0 && !holdUnknownLength)) {
            response.pause();
            return Future.succeededFuture(new BackendAnswer(backend, response, null, false));
        }
        Promise<BackendAnswer> done = Promise.promise();
        Buffer acc = Buffer.buffer(declared < 0 ? 512 : (int) declared);
        response.handler(chunk -> {
            acc.appendBuffer(chunk);
            if (acc.length() > limit) {
                response.pause();
                response.handler(null);
                response.endHandler(null);
                response.exceptionHandler(null);
                done.tryComplete(new BackendAnswer(backend, response, acc, false));
            }
        });
        response.endHandler(v -> done.tryComplete(new BackendAnswer(backend, response, acc, true)));
        response.exceptionHandler(done::tryFail);
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
