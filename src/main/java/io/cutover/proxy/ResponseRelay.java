package io.cutover.proxy;

import io.cutover.resilience.FailureClassifier;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.function.Consumer;

/**
 * Writes a backend's answer to the client: the head without hop-by-hop headers, then the body,
 * whole if it was held back, else streamed with back-pressure. A backend failing mid-stream resets
 * the client's connection (a truncated answer must not look complete) and frees the backend's.
 */
final class ResponseRelay {

    static final String BACKEND_HEADER = "X-Cutover-Backend";

    private final boolean backendHeader;

    ResponseRelay(boolean backendHeader) {
        this.backendHeader = backendHeader;
    }

    /** @param done told the outcome once the answer has ended (or failed) */
    void relay(Exchange x, BackendAnswer a, Consumer<Outcome> done) {
        relay(x, a, null, done);
    }

    /** @param tap also given every part of the body as it is relayed (a shadow read's capture), or {@code null} */
    void relay(Exchange x, BackendAnswer a, Handler<Buffer> tap, Consumer<Outcome> done) {
        HttpClientResponse in = a.response();
        HttpServerResponse out = x.response;
        if (x.isClientGone() || out.ended() || out.closed()) {
            a.discard();
            done.accept(Outcome.CLIENT_ABORTED);
            return;
        }
        int status = in.statusCode();
        Outcome outcome = FailureClassifier.ofStatus(status);
        out.setStatusCode(status);
        if (in.statusMessage() != null && status != 304) {
            // not on a 304: Vert.x knows a 304 (no Content-Length of its own) only by its standard reason phrase
            out.setStatusMessage(in.statusMessage());
        }
        Headers.towardsClient(in.headers(), out.headers());
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !mayHaveBody(x.method, status)) {
            // an answer without a body (HEAD, 304) keeps the backend's length: that of the body a GET would get
            out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        }
        if (backendHeader) {
            out.putHeader(BACKEND_HEADER, a.backend().id());
        }
        if (tap != null && a.body() != null) {
            tap.handle(a.body());
        }
        if (a.complete()) {
            out.end(a.body());
            done.accept(outcome);
            return;
        }
        if (length != null) {
            out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else if (mayHaveBody(x.method, in.statusCode())) {
            out.setChunked(true);
        }
        if (a.body() != null) {
            out.write(a.body());
        }
        ReadStream<Buffer> source = tap == null ? in : new TeeStream(in, tap);
        source.pipe().endOnFailure(false).to(out).onComplete(ar -> {
            if (ar.succeeded()) {
                done.accept(outcome);
            } else {
                in.request().reset();
                out.reset();
                done.accept(x.isClientGone() ? Outcome.CLIENT_ABORTED : Outcome.RESET);
            }
        });
    }

    /** An answer of the router itself: 413, 502, 503, 504, with a JSON body that says why. */
    void error(Exchange x, int status, Backend backend, String message) {
        error(x.response, status, backend, message);
    }

    void error(HttpServerResponse out, int status, Backend backend, String message) {
        if (out.ended() || out.closed()) {
            return;
        }
        JsonObject body = new JsonObject().put("error", message).put("status", status);
        if (backend != null) {
            body.put("backend", backend.id());
            if (backendHeader) {
                out.putHeader(BACKEND_HEADER, backend.id());
            }
        }
        out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }

    private static boolean mayHaveBody(HttpMethod method, int status) {
        return method != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
    }
}
