package io.cutover.dualwrite;

import io.cutover.observability.Tracing;
import io.cutover.routing.Backend;
import io.cutover.routing.RequestKind;
import io.cutover.routing.RoutingDecision;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the proxy asks of dual write for one write on a migrating path: an idempotency key on the
 * request, an intent recorded while the primary works, and its settlement by the primary's answer.
 */
@Singleton
public class DualWrite {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Outbox outbox;
    private final List<String> storedHeaders;
    private final PrimaryFields primaryFields;

    private final Tracing tracing;
    private final Vertx vertx;
    private final long orderWaitMs;

    DualWrite(Outbox outbox, OutboxConfig config, Tracing tracing, Vertx vertx) {
        this.tracing = tracing;
        this.outbox = outbox;
        this.vertx = vertx;
        this.storedHeaders = List.copyOf(config.headers());
        this.primaryFields = new PrimaryFields(config.primaryFields());
        this.orderWaitMs = config.orderWait().toMillis();
    }

    /** First pause between two looks at the outbox of a write that waits for its entity's earlier copies: {@value} ms. */
    static final long FIRST_ORDER_PAUSE_MS = 20;
    /** Longest pause between two looks: {@value} ms (the worker sends due rows every poll interval, 100 ms by default). */
    static final long LONGEST_ORDER_PAUSE_MS = 250;

    /**
     * After a {@code first} answer that says {@code waiting}, asks {@code check} again until it no longer does, within
     * {@code cutover.outbox.order-wait}: pauses of 20 ms, doubling up to 250 ms. Answers the last answer (still waiting
     * when the time ran out). Nothing is allocated for an answer that does not wait: the write path's usual case.
     */
    private <T> Future<T> whileWaiting(T first, Supplier<Future<T>> check, Predicate<T> waiting) {
        if (!waiting.test(first)) {
            return Future.succeededFuture(first);
        }
        Promise<T> done = Promise.promise();
        lookAgain(check, waiting, done, System.nanoTime() + orderWaitMs * 1_000_000, FIRST_ORDER_PAUSE_MS, first);
        return done.future();
    }

    private <T> void lookAgain(Supplier<Future<T>> check, Predicate<T> waiting, Promise<T> done, long deadline, long pause,
                               T last) {
        if (System.nanoTime() + pause * 1_000_000 > deadline) {
            done.complete(last);
            return;
        }
        vertx.setTimer(pause, t -> check.get().onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
            } else if (!waiting.test(ar.result())) {
                done.complete(ar.result());
            } else {
                lookAgain(check, waiting, done, deadline, Math.min(pause * 2, LONGEST_ORDER_PAUSE_MS), ar.result());
            }
        }));
    }

    /**
     * Gives the request an idempotency key (the client's, else a new one) and starts recording its
     * intent towards the other side of the route's primary.
     *
     * @param route          from {@link #ordered}
     * @param backendHeaders the headers the backends receive; the key is added to them
     */
    public Outbox.Ticket begin(String method, String uri, Route route, MultiMap clientHeaders, MultiMap backendHeaders,
                               Buffer body) {
        String key = clientHeaders.get(IDEMPOTENCY_KEY);
        if (key == null || key.isBlank()) {
            key = Ids.next().toString();
            backendHeaders.set(IDEMPOTENCY_KEY, key);
        }
        JsonObject headers = new JsonObject();
        for (String h : storedHeaders) {
            String v = clientHeaders.get(h);
            if (v != null) {
                headers.put(h, v);
            }
        }
        // the client request's span: each send of this intent, later and elsewhere, is a span of its trace
        String traceparent = tracing.traceparent();
        if (traceparent != null) {
            headers.put(Tracing.TRACEPARENT, traceparent);
        }
        WriteIntent intent = new WriteIntent(Ids.next(), route.decision().backend().other(), method, uri, headers.encode(), body,
                route.tenant(), key, route.entityKey(), route.ordered());
        return outbox.begin(intent);
    }

    /**
     * Where a dual-written write goes first. When copies of the entity's earlier writes are still queued
     * towards the chosen side (it was the secondary a moment ago: the weight moved, a pin or a latch was
     * released, or it was down), a write sent there directly would be overwritten by those older copies
     * when they arrive; it goes to the other side instead, behind which its own copy queues in order.
     * The rollback latch is never overridden: an ordered write whose copies still wait towards V1 while
     * the latch holds writes to V1 (or, rarely, whose copies wait towards both sides) can go nowhere
     * safely until they have arrived. It waits for them (they usually arrive within the worker's next round),
     * up to {@code cutover.outbox.order-wait}; past it, its route is {@link Route#behind()} and the client is
     * asked to retry. A reading, which nothing overwrites, goes as decided. If the outbox cannot be read, the
     * decision stands.
     */
    public Future<Route> ordered(RoutingDecision decision, RequestKind kind, String tenant, Buffer body) {
        return orderedNow(decision, kind, tenant, body)
                .compose(route -> whileWaiting(route, () -> orderedNow(decision, kind, tenant, body), Route::behind));
    }

    private Future<Route> orderedNow(RoutingDecision decision, RequestKind kind, String tenant, Buffer body) {
        EntityKeys.Key key = EntityKeys.of(kind, tenant,
                kind.route().idFrom() == RequestKind.IdFrom.BODY ? PrimaryFields.idOf(body) : null);
        String entity = key.entity();
        Route asDecided = new Route(decision, tenant, entity, key.ordered(), false);
        boolean latched = decision.reason() == RoutingDecision.Reason.ROLLBACK;
        if (latched && !key.ordered()) {
            return Future.succeededFuture(asDecided);
        }
        Backend chosen = decision.backend();
        return outbox.hasOpen(entity, chosen).compose(open -> {
            if (!open) {
                return Future.succeededFuture(asDecided);
            }
            Route behind = new Route(decision, tenant, entity, key.ordered(), true);
            Route rerouted = new Route(new RoutingDecision(chosen.other(), RoutingDecision.Reason.OUTBOX_ORDER), tenant,
                    entity, key.ordered(), false);
            if (latched) {
                return Future.succeededFuture(behind);
            }
            if (!key.ordered()) {
                return Future.succeededFuture(rerouted);
            }
            // rare (the weight moved while both sides were behind): the other side is asked only now
            return outbox.hasOpen(entity, chosen.other()).map(otherOpen -> otherOpen ? behind : rerouted);
        }).otherwise(asDecided);
    }

    /**
     * Where a dual-written write goes first, its entity, and whether it is ordered behind that entity's
     * earlier writes (the body is read once). {@code behind}: no side can take it now without being
     * overwritten later by older copies still on their way there.
     */
    public record Route(RoutingDecision decision, String tenant, String entityKey, boolean ordered, boolean behind) {
    }

    /**
     * The primary ({@code answered}) accepted the write with this answer body: settle the intent, with the
     * fields the primary assigned; a create on a collection ({@code id: body}) keyed by the id it created.
     */
    public Future<Void> accepted(Outbox.Ticket ticket, Backend answered, RequestKind kind, Buffer answer) {
        WriteIntent w = ticket.intent();
        Buffer body = primaryFields.carried(w.method(), w.body(), answer);
        String entity = w.entityKey();
        if (kind.route().idFrom() == RequestKind.IdFrom.BODY && body != w.body()) {
            entity = EntityKeys.of(kind, w.tenant(), PrimaryFields.idOf(body)).entity();
        }
        return ticket.confirm(w.settled(answered.other(), body, entity));
    }

    /**
     * Whether a write that never reached {@code primary} may be applied on the other side instead. Not when an
     * earlier attempt of it (the same {@code Idempotency-Key}) may have reached {@code primary}: it was recorded and
     * its answer never came (a reset, a timeout, a router that died); both sides would then have it, each with its own
     * fields. Nor when copies of its entity's earlier writes still wait towards the other side: they would overwrite
     * it there when they arrive (it waits for them up to {@code cutover.outbox.order-wait}). If the outbox cannot be
     * read, it may (as before these checks).
     */
    public Future<Fallback> fallback(Outbox.Ticket ticket, Backend primary) {
        Predicate<Fallback> waiting = f -> f.behind() && !f.inDoubt();
        return outbox.fallbackCheck(ticket, primary)
                .compose(first -> whileWaiting(first, () -> outbox.fallbackCheck(ticket, primary), waiting))
                .otherwise(Fallback.FREE);
    }

    /**
     * Whether a write that never reached its primary may be applied on the other side instead: not while an earlier
     * attempt of it is {@code inDoubt} at the primary, nor while its entity's earlier copies wait {@code behind} on
     * the other side.
     */
    public record Fallback(boolean inDoubt, boolean behind) {
        static final Fallback FREE = new Fallback(false, false);
    }

    /** Whether writes are recorded at all (the router has a database). */
    public boolean enabled() {
        return outbox.enabled();
    }

    public boolean strict() {
        return outbox.strict();
    }
}
