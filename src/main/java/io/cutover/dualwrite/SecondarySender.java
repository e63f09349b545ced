package io.cutover.dualwrite;

import io.cutover.backend.BackendClients;
import io.cutover.observability.Tracing;
import io.cutover.resilience.BackendBreakers;
import io.cutover.resilience.BackendFailure;
import io.cutover.resilience.FailureClassifier;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.cutover.tenant.TenantResolver;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

/**
 * Sends one outbox row to its target, through the target's breaker and timeouts (the same ones as
 * the proxy), with the row's idempotency key and, towards V2, the tenant header.
 */
@Singleton
class SecondarySender {

    /**
     * How a send ended for the outbox: done, retry later, give up (the target refused it), or never send it
     * (the primary refused the write, so the secondary must not have it either).
     */
    enum Result { DONE, RETRY, REFUSED, CANCELLED }

    record Sent(Result result, Outcome outcome, int status, String detail) {
    }

    private final BackendClients clients;
    private final BackendBreakers breakers;
    private final String tenantHeader;
    private final PrimaryFields primaryFields;
    private final Tracing tracing;
    private final io.cutover.clock.Ticker ticker;
    /**
     * Told of every send (the rollback guard among them): a secondary write is a real call to that backend, and while
     * its breaker is open the outbox's attempts may be the only calls that reach it (client calls are short-circuited).
     */
    private final io.cutover.resilience.CallObservers observers;

    SecondarySender(BackendClients clients, BackendBreakers breakers, TenantResolver tenants, OutboxConfig config,
                    Tracing tracing, io.cutover.clock.Ticker ticker, io.cutover.resilience.CallObservers observers) {
        this.tracing = tracing;
        this.ticker = ticker;
        this.observers = observers;
        this.clients = clients;
        this.breakers = breakers;
        this.tenantHeader = tenants.header();
        this.primaryFields = new PrimaryFields(config.primaryFields());
    }

    /** How many sends may be in flight towards {@code target} at once: its connection pool's size. */
    int connections(Backend target) {
        return clients.target(target).pool().getHttp1MaxSize();
    }

    /**
     * Sends the row to its target; first to its primary again where the primary's answer was never recorded
     * and nothing follows it.
     *
     * @param newest no later write of the row's entity is waiting behind it (always so for an independent row)
     */
    Future<Sent> send(OutboxRow row, boolean newest) {
        if (!viaPrimary(row, newest)) {
            return deliver(row.target(), row, row.body());
        }
        // The primary's answer was never recorded (its router stopped mid-write): the primary may have the write or
        // not. Asked again with the same Idempotency-Key, it replays its first answer, or applies the write now if it
        // never had it; either way both sides end with it, and with the id and times the primary gave.
        Backend primary = row.target().other();
        return call(primary, row, row.body(), row.idempotencyKey())
                .compose(answer -> {
                    if (answer.status() < 300) {
                        return deliver(row.target(), row, primaryFields.carried(row.method(), row.body(), answer.body()));
                    }
                    Sent judged = judge(row.method(), answer.status());
                    return Future.succeededFuture(judged.result() == Result.RETRY ? judged
                            : new Sent(Result.CANCELLED, Outcome.CLIENT_ERROR, answer.status(),
                                    "the primary " + primary.id() + " refused it with status " + answer.status()));
                })
                .recover(err -> Future.succeededFuture(retry(err, "primary " + primary.id() + " ")));
    }

    /**
     * Whether the row goes to its primary first: a create that lacks the id its primary gives (the secondary
     * would make up its own), or a row promoted from unconfirmed that no later write of its entity follows. Where
     * later writes follow, it goes straight to the target, as it was sent: asked now, a primary that never had it
     * would apply it after those later writes, and the target takes it before them (they supersede it on both).
     */
    static boolean viaPrimary(OutboxRow row, boolean newest) {
        return PrimaryFields.lacksCreatedId(row.method(), row.body()) || (row.viaPrimary() && newest);
    }

    /** The row's request with {@code body}, to {@code target} under the row's key for it; judged for the outbox. */
    private Future<Sent> deliver(Backend target, OutboxRow row, Buffer body) {
        return call(target, row, body, row.targetKey()).map(answer -> judge(row.method(), answer.status()))
                .recover(err -> Future.succeededFuture(retry(err, "")));
    }

    private record Answer(int status, Buffer body) {
    }

    /** One call through the target's breaker and timeouts; a 5xx fails it (and counts for the breaker). */
    private Future<Answer> call(Backend target, OutboxRow row, Buffer body, String idempotencyKey) {
        BackendClients.Target t = clients.target(target);
        MultiMap headers = HttpHeaders.headers();
        new JsonObject(row.headersJson()).forEach(e -> headers.set(e.getKey(), String.valueOf(e.getValue())));
        headers.set(DualWrite.IDEMPOTENCY_KEY, idempotencyKey);
        if (target == Backend.V2) {
            headers.set(tenantHeader, row.tenant());
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(row.method()))
                .setHost(t.host()).setPort(t.port())
                .setURI(t.basePath().isEmpty() ? row.uri() : t.basePath() + row.uri())
                .setHeaders(headers)
                .setConnectTimeout(t.connectTimeoutMs()).setIdleTimeout(t.responseTimeoutMs());
        // a span of the trace of the client's write (its traceparent stored with the intent), whenever it is sent
        Tracing.Call span = tracing.client(tracing.fromTraceparent(headers.get(Tracing.TRACEPARENT)), "outbox send", target,
                row.method(), row.uri(), headers).attribute(Tracing.OUTBOX_ID, row.id().toString());
        long start = ticker.nanos();
        return Future.fromCompletionStage(breakers.call(target, () -> clients.client(target).request(options)
                .compose(req -> bodiless(row.method(), body) ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b)))
                .compose(answer -> FailureClassifier.ofStatus(answer.status()).isFailure()
                        ? Future.<Answer>failedFuture(new BackendFailure(Outcome.SERVER_ERROR, true, answer.status(), null))
                        : Future.succeededFuture(answer))
                .toCompletionStage()))
                .onComplete(ar -> {
                    span.end(ar.succeeded() ? ar.result().status() : statusOf(ar.cause()), ar.succeeded() ? null : ar.cause());
                    Outcome outcome = ar.succeeded() ? FailureClassifier.ofStatus(ar.result().status())
                            : FailureClassifier.ofError(ar.cause(), true);
                    observers.called(target, outcome, ticker.nanos() - start);
                });
    }

    /**
     * An empty body of a method that rarely has one ({@code DELETE}) goes as the client sent it: no body and no
     * {@code Content-Length: 0}. A {@code POST}, {@code PUT} or {@code PATCH} with an empty body keeps its length of 0.
     */
    static boolean bodiless(String method, Buffer body) {
        return (body == null || body.length() == 0) && !"POST".equals(method) && !"PUT".equals(method) && !"PATCH".equals(method);
    }

    private static int statusOf(Throwable err) {
        return FailureClassifier.unwrap(err) instanceof BackendFailure f && f.answer() instanceof Integer s ? s : 0;
    }

    private static Sent retry(Throwable err, String prefix) {
        Throwable c = FailureClassifier.unwrap(err);
        Outcome o = FailureClassifier.ofError(c, true);
        int status = c instanceof BackendFailure f && f.answer() instanceof Integer s ? s : 0;
        return new Sent(Result.RETRY, o, status, prefix + o.tag()
                + (status > 0 ? " " + status : c.getMessage() == null ? "" : ": " + c.getMessage()));
    }

    /**
     * 2xx is done; 409 is done too (the entity is already there: an earlier attempt whose answer was
     * lost); 408 and 429 are retried; any other 4xx is a refusal that retrying will not change. A delete answered
     * 404 or 410 is done: what it removes is not there (its create never reached the target, or an earlier attempt of
     * the delete did and its answer was lost), and both sides end without it.
     */
    static Sent judge(String method, int status) {
        if (status < 300 || status == 409 || ((status == 404 || status == 410) && "DELETE".equals(method))) {
            return new Sent(Result.DONE, Outcome.SUCCESS, status, null);
        }
        if (status == 408 || status == 429) {
            return new Sent(Result.RETRY, Outcome.CLIENT_ERROR, status, "status " + status);
        }
        return new Sent(Result.REFUSED, Outcome.CLIENT_ERROR, status, "refused with status " + status);
    }
}
