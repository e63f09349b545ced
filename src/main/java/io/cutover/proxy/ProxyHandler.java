package io.cutover.proxy;

import io.cutover.dualwrite.DualWrite;
import io.cutover.edge.CanonicalPath;
import io.cutover.edge.LogSafe;
import io.cutover.edge.Refusal;
import io.cutover.edge.RequestScreen;
import io.cutover.edge.Screened;
import io.cutover.dualwrite.Outbox;
import io.cutover.observability.RouterMetrics;
import io.cutover.override.TesterOverride;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.TrafficPolicy;
import io.cutover.resilience.BackendFailure;
import io.cutover.resilience.FailureClassifier;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.cutover.shadow.ShadowReads;
import io.cutover.routing.RequestClassifier;
import io.cutover.routing.RequestKind;
import io.cutover.routing.RoutingDecision;
import io.cutover.routing.RoutingDecision.Reason;
import io.cutover.routing.TrafficRouter;
import io.cutover.tenant.TenantResolver;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The path of one proxied request (DESIGN.md): read the body within the limit, classify, resolve
 * the tenant, decide, forward, fall back to V1 when V2 fails, relay the answer. Each step is its
 * own class; this one only sequences them.
 */
@Singleton
class ProxyHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ProxyHandler.class);
    /** Reasons of {@code cutover_requests_rejected_total} (and of the access log's {@code refusal}) for a write refused. */
    private static final String OUTBOX_UNAVAILABLE = "outbox-unavailable";
    private static final String IN_DOUBT = "in-doubt";
    /** A write refused because its entity's earlier copies are still on their way to the side it would be applied on. */
    private static final String OUTBOX_ORDER = "outbox-order";
    /** Seconds a client refused for {@link #OUTBOX_ORDER} waits: those copies go in the worker's next rounds. */
    private static final String OUTBOX_ORDER_RETRY_AFTER = "1";
    private static final Buffer EMPTY = Buffer.buffer(0);

    private final PolicyStore policies;
    private final TrafficRouter router;
    private final RequestClassifier classifier;
    private final TenantResolver tenants;
    private final Forwarder forwarder;
    private final RouterMetrics metrics;
    private final ResponseRelay relay;
    private final DualWrite dualWrite;
    private final ShadowReads shadowReads;
    private final long maxBody;
    private final List<String> ownPaths;
    private final TesterOverride override;
    private final RequestScreen screen;
    /** HTTP/1.x connections whose current answer closes them. */
    private final Set<HttpConnection> closing = ConcurrentHashMap.newKeySet();
    private final Headers headers;
    /** Headers that name the tenant: a request may carry each once at most. */
    private final List<String> oneOnly;
    private final AccessLog accessLog;
    private final WarmUp warmUp;
    private final Bookkeeping books;

    ProxyHandler(PolicyStore policies, TrafficRouter router, TenantResolver tenants, Forwarder forwarder,
                 RouterMetrics metrics, ProxyConfig config, DualWrite dualWrite, ShadowReads shadowReads,
                 TesterOverride override, RequestScreen screen, AccessLog accessLog, WarmUp warmUp, Bookkeeping books) {
        this.accessLog = accessLog;
        this.warmUp = warmUp;
        this.books = books;
        this.override = override;
        this.screen = screen;
        List<String> decidedByRouter = new java.util.ArrayList<>(List.of(tenants.header()));
        override.header().ifPresent(decidedByRouter::add);
        this.headers = new Headers(decidedByRouter, List.of(tenants.apiKeyHeader()));
        this.oneOnly = List.of(tenants.apiKeyHeader(), tenants.header());
        this.dualWrite = dualWrite;
        this.shadowReads = shadowReads;
        this.policies = policies;
        this.router = router;
        this.tenants = tenants;
        this.forwarder = forwarder;
        this.metrics = metrics;
        this.classifier = new RequestClassifier(config.migratingPaths());
        this.relay = new ResponseRelay(config.backendHeader());
        this.maxBody = config.maxBody().asLongValue();
        this.ownPaths = List.copyOf(config.ownPaths());
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        if (!closing.isEmpty() && closing.contains(req.connection())) {
            req.connection().close();       // pipelined behind an answer that closes the connection: never served
            return;
        }
        Screened screened = screen.screen(req);
        if (screened.refused()) {
            refuse(req, screened.refusal());
            return;
        }
        String path = screened.path();
        if (isOwnPath(path)) {
            if (!path.equals(rawPath(req.uri()))) {
                refuse(req, new Refusal(400, "path", "the path normalises to one of the router's own ("
                        + path + "); the router serves its own paths only under their canonical name"));
                return;
            }
            continueIfExpected(req);
            rc.next();
            return;
        }
        String variant = classifier.caseVariantOf(policies.policy(), path);
        if (variant != null) {
            refuse(req, new Refusal(400, "path", "the path differs from a migrating path (" + variant
                    + ") only in letter case; paths are case-sensitive here"));
            return;
        }
        for (String h : oneOnly) {
            if (req.headers().getAll(h).size() > 1) {
                refuse(req, new Refusal(400, "header", "more than one " + h + " header: the tenant would be ambiguous"));
                return;
            }
        }
        if (req.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            closeAfterAnswer(req);     // a message framed by Transfer-Encoding: the connection is not reused
        }
        if (req.isEnded()) {
            dispatch(req, EMPTY, screened);
            return;
        }
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredTooLarge(length)) {
            tooLarge(req);
            return;
        }
        continueIfExpected(req);
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBody) {
                refused[0] = true;
                tooLarge(req);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (!refused[0]) {
                dispatch(req, body, screened);
            }
        });
        req.resume();
    }

    private void dispatch(HttpServerRequest req, Buffer body, Screened screened) {
        String tenant = tenants.resolve(req.headers());
        boolean warm = warmUp.carries(req);
        if (tenant == null && warm) {
            tenant = "warm-up";
        }
        if (tenant == null) {
            metrics.rejected("unknown-key");
            req.response().putHeader("WWW-Authenticate", "ApiKey header=\"" + tenants.apiKeyHeader() + "\"");
            relay.error(req.response(), 401, null, "no known API key in " + tenants.apiKeyHeader()
                    + " (cutover.tenant.unknown-key=reject)");
            return;
        }
        TrafficPolicy policy = policies.policy();
        RequestKind kind = classifier.classify(policy, req.method().name(), screened.path());
        Exchange x = new Exchange(req, screened.uri(), body, kind, tenant, headers.towardsBackend(req));
        x.response.closeHandler(v -> x.clientGone());
        RoutingDecision decision = override.apply(router.decide(policy, kind, tenant, req::getHeader), policy, kind, tenant,
                req.headers(), x.backendHeaders);
        x.reason = decision.reason();
        x.warmUp = warm;
        x.books = warm ? warmUp.books() : books;
        accessLog.begin(x);
        if (warm) {
            // to the stand-in, V2 and V1 in turn, counted in the warm-up's own books: no dual write, no shadow read
            x.books.metrics.decision(decision.reason(), decision.backend());
            forward(x, warmUp.primary());
            return;
        }
        x.shadow = policy.shadowReads() > 0 && shadowReads.sampled(policy, kind, x.method, tenant, x.uri);
        if (kind.write() && kind.migrating() && policy.dualWrite() && dualWrite.enabled()) {
            dualWrite.ordered(decision, kind, tenant, body).onComplete(ar -> dualWrite(x, ar.result()));
            return;
        }
        x.books.metrics.decision(decision.reason(), decision.backend());
        forward(x, decision.backend());
    }

    /** Answered at the edge: no backend, no guard sees it; the connection is not reused. */
    private void refuse(HttpServerRequest req, Refusal r) {
        metrics.rejected(r.reason());
        if (LOG.isDebugEnabled()) {
            LOG.debugf("refused %s %s: %s", req.method().name(), LogSafe.escape(req.uri()), r.message());
        }
        if (r.status() == 405) {
            req.response().putHeader(HttpHeaders.ALLOW, screen.allowHeader());
        }
        closeAfterAnswer(req);
        relay.error(req.response(), r.status(), null, r.message());
    }

    /**
     * HTTP/1.x: {@code Connection: close} on the answer, the connection closed once it is written, and
     * no request pipelined behind this one served.
     */
    void closeAfterAnswer(HttpServerRequest req) {
        if (req.version() == HttpVersion.HTTP_2 || req.response().headWritten()) {
            return;
        }
        HttpConnection c = req.connection();
        if (closing.add(c)) {
            c.closeHandler(v -> closing.remove(c));
        }
        req.response().putHeader(HttpHeaders.CONNECTION, "close");
        req.response().endHandler(v -> req.connection().close());
    }

    /**
     * {@code 100 Continue} for a client that waits for it before sending its body (Vert.x does not send it on its own:
     * {@code EdgeServerOptions}), once nothing refuses the request on its head.
     */
    private static void continueIfExpected(HttpServerRequest req) {
        if (req.version() != HttpVersion.HTTP_1_0 && !req.isEnded() && !req.response().headWritten()
                && "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))) {
            req.response().writeContinue();
        }
    }

    private static String rawPath(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** A dual-written write: its intent is recorded towards the other side while the primary works. */
    private void dualWrite(Exchange x, DualWrite.Route route) {
        RoutingDecision decision = route.decision();
        x.reason = decision.reason();
        if (x.isClientGone()) {
            finish(x, decision.backend(), Outcome.CLIENT_ABORTED); // it left while the write waited: nothing recorded or sent
            return;
        }
        if (route.behind()) {
            metrics.rejected(OUTBOX_ORDER);
            x.response.putHeader(HttpHeaders.RETRY_AFTER, OUTBOX_ORDER_RETRY_AFTER);
            relay.error(x, 503, null, "write refused for now: earlier writes of " + route.entityKey() + " are still on their"
                    + " way to " + decision.backend().id() + " (" + decision.reason().tag() + "), and applied before them"
                    + " it would be overwritten; retry shortly");
            accessLog.refused(x, null, null, OUTBOX_ORDER);
            return;
        }
        x.books.metrics.decision(decision.reason(), decision.backend());
        // the outbox stores what the primary is sent (one header policy for both sides)
        x.ticket = dualWrite.begin(x.method.name(), x.uri, route, x.backendHeaders, x.backendHeaders, x.body);
        if (dualWrite.strict()) {
            x.ticket.recorded().onComplete(ar -> {
                if (ar.succeeded()) {
                    forward(x, decision.backend());
                } else {
                    metrics.rejected(OUTBOX_UNAVAILABLE);
                    relay.error(x, 503, null, "write refused: the router's database cannot record it"
                            + " (cutover.outbox.when-database-down=strict)");
                    accessLog.refused(x, null, null, OUTBOX_UNAVAILABLE);
                }
            });
            return;
        }
        forward(x, decision.backend());
    }

    private void forward(Exchange x, Backend primary) {
        if (primary == Backend.V2) {
            forwardToV2(x);
        } else {
            forwardTo(x, Backend.V1);
        }
    }

    /** V2 first; a read that fails in any way, or a write V2 never received, is answered by V1. */
    private void forwardToV2(Exchange x) {
        forwarder.forward(x, Backend.V2, !x.kind.write() || x.ticket != null).onComplete(ar -> {
            if (ar.succeeded()) {
                deliver(x, ar.result());
                return;
            }
            BackendFailure f = asFailure(ar.cause());
            if (x.isClientGone()) {
                if (x.ticket != null && f.notSent()) {
                    x.ticket.cancel(); // the client left before any backend had the write
                }
                finish(x, Backend.V2, Outcome.CLIENT_ABORTED);
                return;
            }
            boolean fallBack = !x.kind.write() || f.notSent();
            if (!fallBack) {
                answerFailure(x, Backend.V2, f);
            } else if (x.ticket != null) {
                dualWrite.fallback(x.ticket, Backend.V2).onComplete(check -> {
                    DualWrite.Fallback may = check.result();
                    if (may.inDoubt()) {
                        refuseFallback(x, f, IN_DOUBT, "5", "backend v2 is unavailable, and an earlier attempt of this write"
                                + " (same Idempotency-Key) may have reached it: not applied on v1 instead; retry later");
                    } else if (may.behind()) {
                        refuseFallback(x, f, OUTBOX_ORDER, OUTBOX_ORDER_RETRY_AFTER, "backend v2 is unavailable, and earlier"
                                + " writes of " + x.ticket.intent().entityKey() + " are still on their way to v1: applied there"
                                + " now, this write would be overwritten by them; retry shortly");
                    } else {
                        fallBackToV1(x, f);
                    }
                });
            } else {
                fallBackToV1(x, f);
            }
        });
    }

    /** A write V2 never received that may not be applied on V1 instead, for now: 503, and its intent cancelled. */
    private void refuseFallback(Exchange x, BackendFailure f, String reason, String retryAfter, String message) {
        BackendAnswer rejected = f.answer();
        if (rejected != null) {
            rejected.discard();
        }
        x.books.metrics.request(x.kind.route(), Backend.V2, f.outcome());
        metrics.rejected(reason);
        x.ticket.cancel(); // this attempt reached no backend
        x.response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
        relay.error(x, 503, Backend.V2, message);
        accessLog.refused(x, Backend.V2, f.outcome(), reason);
    }

    private void fallBackToV1(Exchange x, BackendFailure f) {
        BackendAnswer rejected = f.answer();
        if (rejected != null) {
            rejected.discard();
        }
        x.books.metrics.request(x.kind.route(), Backend.V2, f.outcome());
        x.books.metrics.decision(Reason.FALLBACK, Backend.V1);
        x.fallback = true;
        forwardTo(x, Backend.V1);
    }

    private void forwardTo(Exchange x, Backend backend) {
        forwarder.forward(x, backend, x.ticket != null).onComplete(ar -> {
            if (ar.succeeded()) {
                deliver(x, ar.result());
            } else {
                answerFailure(x, backend, asFailure(ar.cause()));
            }
        });
    }

    /** Relays a backend's own 5xx; else answers 502, 503 or 504 naming what went wrong. */
    private void answerFailure(Exchange x, Backend backend, BackendFailure f) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("%s %s: backend %s failed (%s): %s", x.method, x.uri, backend.id(), f.outcome().tag(),
                    LogSafe.escape(String.valueOf(f.getCause())));
        }
        BackendAnswer answer = f.answer();
        if (answer != null) {
            deliver(x, answer);
            return;
        }
        if (x.ticket != null && f.notSent()) {
            x.ticket.cancel(); // no backend has it; a timeout or reset stays unconfirmed: the primary may have it
        }
        switch (f.outcome()) {
            case TIMEOUT -> relay.error(x, 504, backend, "backend " + backend.id() + " did not answer in time");
            case BREAKER_OPEN -> {
                x.response.putHeader(HttpHeaders.RETRY_AFTER, "5");
                relay.error(x, 503, backend, "backend " + backend.id() + " is unavailable (circuit breaker open)");
            }
            case CLIENT_ABORTED -> {
            }
            default -> relay.error(x, 502, backend, "backend " + backend.id() + " failed: " + f.outcome().tag());
        }
        finish(x, backend, f.outcome());
    }

    /**
     * Relays a backend's answer; for a dual write, settles its intent: a 2xx makes it pending (with the
     * created id), anything else cancels it. The client is answered once the intent is recorded, so an
     * acknowledged write is never lost for the secondary.
     */
    private void deliver(Exchange x, BackendAnswer a) {
        Backend backend = a.backend();
        Outbox.Ticket ticket = x.ticket;
        int status = a.response().statusCode();
        if (status == 413 || status == 414 || status == 431) {
            // refused for its size, like the router's own refusals: the client's connection closes after the answer,
            // and nothing pipelined behind a request the backend could not frame is served
            closeAfterAnswer(x.request);
        }
        if (ticket == null && x.shadow) {
            ShadowReads.Capture capture = shadowReads.capture(status, a.response().headers());
            relay.relay(x, a, capture, outcome -> {
                finish(x, backend, outcome);
                if (capture != null && (outcome == Outcome.SUCCESS || outcome == Outcome.CLIENT_ERROR)) {
                    shadowReads.shadow(new ShadowReads.Read(x.kind, x.tenant, x.method.name(), x.uri,
                            x.backendHeaders, backend), capture);
                }
            });
        } else if (ticket == null) {
            relay.relay(x, a, outcome -> finish(x, backend, outcome));
        } else if (status >= 200 && status < 300) {
            // the settlement goes off the client's path (group-committed); the answer waits only for the intent
            // to be stored (or held and counted). A router that dies before settling leaves the row unconfirmed,
            // and the worker brings it through the primary after the grace: durable either way.
            dualWrite.accepted(ticket, backend, x.kind, a.complete() ? a.body() : null);
            ticket.recorded().onComplete(ar -> relay.relay(x, a, outcome -> finish(x, backend, outcome)));
        } else {
            ticket.cancel();
            relay.relay(x, a, outcome -> finish(x, backend, outcome));
        }
    }

    private void finish(Exchange x, Backend backend, Outcome outcome) {
        x.books.metrics.request(x.kind.route(), backend, outcome);
        accessLog.finished(x, backend, outcome);
    }

    private void tooLarge(HttpServerRequest req) {
        metrics.rejected("body-too-large");
        closeAfterAnswer(req);
        relay.error(req.response(), 413, null, "request body larger than cutover.proxy.max-body (" + maxBody + " bytes)");
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBody;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean isOwnPath(String path) {
        for (int i = 0; i < ownPaths.size(); i++) {
            if (CanonicalPath.within(path, ownPaths.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static BackendFailure asFailure(Throwable t) {
        Throwable c = FailureClassifier.unwrap(t);
        if (c instanceof BackendFailure f) {
            return f;
        }
        Outcome outcome = FailureClassifier.ofError(c, true);
        return new BackendFailure(outcome, outcome != Outcome.BREAKER_OPEN, null, c);
    }
}
