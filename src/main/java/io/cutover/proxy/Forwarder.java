package io.cutover.proxy;

import io.cutover.backend.BackendClients;
import io.cutover.clock.Ticker;
import io.cutover.observability.Tracing;
import io.cutover.resilience.BackendFailure;
import io.cutover.resilience.FailureClassifier;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.cutover.tenant.TenantResolver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Sends an exchange to one backend through that backend's breaker and timeouts, and judges the
 * result with {@link FailureClassifier}: a 5xx, timeout, reset or connect error fails the returned
 * future with a {@link BackendFailure} (carrying the 5xx answer, if any).
 */
@Singleton
class Forwarder {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Forwarder.class);

    private final BackendClients clients;
    private final Ticker ticker;
    private final String tenantHeader;
    private final int replayLimit;
    private final long replayWindowMs;
    private final Tracing tracing;
    private final WarmUp warmUp;

    Forwarder(BackendClients clients, Ticker ticker, TenantResolver tenants, ProxyConfig config, Tracing tracing, WarmUp warmUp) {
        this.tracing = tracing;
        this.warmUp = warmUp;
        this.clients = clients;
        this.ticker = ticker;
        this.tenantHeader = tenants.header();
        this.replayLimit = (int) Math.min(Integer.MAX_VALUE, config.fallbackBuffer().asLongValue());
        this.replayWindowMs = config.replayWindow().toMillis();
    }

    /**
     * @param replayable hold the answer back (up to {@code cutover.proxy.fallback-buffer}) so that a
     *                   failure mid-answer can still fall back; otherwise the answer streams
     */
    Future<BackendAnswer> forward(Exchange x, Backend backend, boolean replayable) {
        return Future.fromCompletionStage(x.books.breakers.call(backend, () -> send(x, backend, replayable).toCompletionStage()))
                .onFailure(err -> {
                    if (FailureClassifier.ofError(err, false) == Outcome.BREAKER_OPEN) {
                        x.books.observers.called(backend, Outcome.BREAKER_OPEN, -1); // not sent: told, but no latency
                    }
                });
    }

    private Future<BackendAnswer> send(Exchange x, Backend backend, boolean replayable) {
        BackendClients.Target t = x.warmUp ? warmUp.standIn(backend) : clients.target(backend);
        if (backend == Backend.V2) {
            x.backendHeaders.set(tenantHeader, x.tenant);
        } else {
            x.backendHeaders.remove(tenantHeader);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(x.method)
                .setHost(t.host())
                .setPort(t.port())
                .setURI(t.basePath().isEmpty() ? x.uri : t.basePath() + x.uri)
                .setHeaders(x.backendHeaders)
                .setConnectTimeout(t.connectTimeoutMs())
                .setIdleTimeout(t.responseTimeoutMs());
        // a span of its own, child of the client request's server span; its traceparent replaces the client's
        Tracing.Call span = tracing.client(x.trace, x.fallback ? "fallback" : "forward", backend, x.method.name(), x.uri,
                x.backendHeaders);
        long start = ticker.nanos();
        // One promise and plain callbacks: this runs once per request, composed futures cost more.
        Promise<BackendAnswer> answer = Promise.promise();
        clients.client(backend).request(options).onComplete(connected -> {
            if (connected.failed()) {
                answer.fail(failure(x, connected.cause(), false));
                return;
            }
            HttpClientRequest req = connected.result();
            // a failure of the request reaches the answer's future below; without a handler Vert.x also logs it as
            // an ERROR, which is what a client leaving (and the router resetting this request) looked like in the log
            req.exceptionHandler(Forwarder::requestFailed);
            x.inFlight(req);
            if (x.isClientGone()) {
                answer.fail(new BackendFailure(Outcome.CLIENT_ABORTED, false, null, null)); // left before it was sent
                return;
            }
            // a request that came without a body goes without one: no "Content-Length: 0" the client never sent
            (x.body.length() == 0 && !declaresBody(x) ? req.send() : req.send(x.body)).onComplete(head -> {
                if (head.failed()) {
                    answer.fail(failure(x, head.cause(), true));
                } else {
                    retireIfRefusedForItsSize(req, head.result(), t);
                    judge(backend, head.result(), replayable, x, answer);
                }
            });
        });
        Future<BackendAnswer> result = answer.future();
        result.onComplete(ar -> {
            long nanos = ticker.nanos() - start;
            x.upstreamNanos += nanos;
            BackendAnswer a = ar.succeeded() ? ar.result()
                    : ar.cause() instanceof BackendFailure f && f.answer() instanceof BackendAnswer held ? held : null;
            span.end(a == null ? 0 : a.response().statusCode(), a == null ? ar.cause() : null);
            observe(x.books, backend, ar.succeeded()
                    ? FailureClassifier.ofStatus(ar.result().response().statusCode())
                    : FailureClassifier.ofError(ar.cause(), true), ar.cause(), nanos);
        });
        return result;
    }

    /**
     * A backend that refuses a request for its size (413, 414, 431) often closes the connection right after its answer
     * without saying so ({@code Connection: close}): Vert.x's and Netty's servers do for 414 and 431. Back in the pool,
     * that connection would be handed to the next request, another client's, which would then fail as "reset" (a 502,
     * and a failure against the backend's breaker and the rollback guard). So such a connection never goes back: it is
     * shut down once this answer has been read, and the next request gets a fresh one.
     */
    private static void retireIfRefusedForItsSize(HttpClientRequest req, HttpClientResponse resp, BackendClients.Target t) {
        int status = resp.statusCode();
        if (status == 413 || status == 414 || status == 431) {
            req.connection().shutdown(Math.max(1, t.responseTimeoutMs()), TimeUnit.MILLISECONDS);
        }
    }

    private static void observe(Bookkeeping books, Backend backend, Outcome outcome, Throwable failure, long nanos) {
        if (outcome == Outcome.CLIENT_ABORTED) {
            return;
        }
        if (!(failure instanceof BackendFailure f) || !f.notSent()) {
            books.metrics.latency(backend, nanos);
        }
        books.observers.called(backend, outcome, nanos);
    }

    /** Reads what is held back of the answer, then fails a 5xx with the answer attached. */
    private void judge(Backend backend, HttpClientResponse resp, boolean replayable, Exchange x, Promise<BackendAnswer> answer) {
        // a read streams on after the replay window; a dual write's answer is read whole (its fields settle the
        // intent), and so is a failing answer (it is replaced, or relayed as it is)
        boolean whole = x.ticket != null || FailureClassifier.ofStatus(resp.statusCode()).isFailure();
        ReplayWindow.collect(backend, resp, replayLimit, replayable, whole ? -1 : replayWindowMs).onComplete(read -> {
            if (read.failed()) {
                answer.fail(failure(x, read.cause(), true));
            } else if (FailureClassifier.ofStatus(resp.statusCode()).isFailure()) {
                answer.fail(new BackendFailure(Outcome.SERVER_ERROR, true, read.result(), null));
            } else {
                answer.complete(read.result());
            }
        });
    }

    private static void requestFailed(Throwable err) {
        if (LOG.isDebugEnabled()) {
            LOG.debugf("backend request failed: %s", err.toString());
        }
    }

    /** The client framed a body, if an empty one: a {@code Content-Length} or {@code Transfer-Encoding}. */
    private static boolean declaresBody(Exchange x) {
        return x.request.headers().contains(HttpHeaders.CONTENT_LENGTH) || x.request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static BackendFailure failure(Exchange x, Throwable err, boolean sent) {
        // a dual-written write runs to its end when the client leaves: its failure is the backend's own
        Outcome outcome = x.isClientGone() && (x.ticket == null || !sent) ? Outcome.CLIENT_ABORTED : FailureClassifier.ofError(err, sent);
        return new BackendFailure(outcome, sent, null, err);
    }
}
