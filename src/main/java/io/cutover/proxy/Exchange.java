package io.cutover.proxy;

import io.cutover.dualwrite.Outbox;
import io.cutover.routing.RequestKind;
import io.cutover.routing.RoutingDecision;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One client request on its way through the proxy: what was read of it, what was decided, and the
 * backend request in flight (so that a client going away frees its backend connection at once).
 * Confined to the request's event loop.
 */
final class Exchange {

    final HttpServerRequest request;
    final HttpServerResponse response;
    final HttpMethod method;
    final String uri;
    final Buffer body;
    final RequestKind kind;
    final String tenant;
    /** The headers for the backends; the tenant header is set for V2 and removed for V1 per call. */
    final MultiMap backendHeaders;

    /** The dual-write intent of this write, or {@code null} (a read, or dual write off). */
    Outbox.Ticket ticket;

    /** A read sampled for shadow comparison: its answer is kept as it is relayed. */
    boolean shadow;

    /** When the exchange started ({@link AccessLog#begin}): ticker nanoseconds, wall-clock milliseconds. */
    long startNanos;
    long startMillis;
    /** The trace context of the client's request (its server span), or {@code null} with tracing off. */
    io.opentelemetry.context.Context trace;
    /** Why the primary was chosen. */
    RoutingDecision.Reason reason;
    /** V2 failed and V1 was asked instead. */
    boolean fallback;
    /** A request the router sent itself before it was ready ({@link WarmUp}): to the stand-in, counted nowhere. */
    boolean warmUp;
    /** Where this exchange is counted: the router's own meters, breakers and guard, or the warm-up's. */
    Bookkeeping books;
    /** Time spent waiting for backends' answers, summed over the attempts (a fallback makes two). */
    long upstreamNanos;

    private HttpClientRequest inFlight;
    private boolean clientGone;

    /** @param uri the canonical request target (path and query): what was classified is what is forwarded */
    Exchange(HttpServerRequest request, String uri, Buffer body, RequestKind kind, String tenant, MultiMap backendHeaders) {
        this.request = request;
        this.response = request.response();
        this.method = request.method();
        this.uri = uri;
        this.body = body;
        this.kind = kind;
        this.tenant = tenant;
        this.backendHeaders = backendHeaders;
    }

    /** Remembers the backend request now in flight; resets it at once if the client is gone (nothing was sent yet). */
    void inFlight(HttpClientRequest req) {
        inFlight = req;
        if (clientGone) {
            req.reset();
        }
    }

    /**
     * Whether a client going away may cut the backend request short. Not a dual-written write once sent: the
     * primary may apply it whatever the client does, so the router reads the primary's answer to the end and
     * settles the intent by it (sent on, or cancelled) instead of leaving it unconfirmed until the grace.
     */
    private boolean cancellable() {
        return ticket == null;
    }

    /** The client closed its connection before the answer ended: free the backend connection. */
    void clientGone() {
        clientGone = true;
        if (inFlight != null && cancellable()) {
            inFlight.reset();
        }
    }

    boolean isClientGone() {
        return clientGone;
    }
}
