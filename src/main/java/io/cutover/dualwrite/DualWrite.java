package io.cutover.dualwrite;

import io.cutover.observability.Tracing;
import io.cutover.routing.Backend;
import io.cutover.routing.RequestKind;
import io.cutover.routing.RoutingDecision;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.util.List;

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

    DualWrite(Outbox outbox, OutboxConfig config, Tracing tracing) {
        this.tracing = tracing;
        this.outbox = outbox;
        this.storedHeaders = List.copyOf(config.headers());
        this.primaryFields = new PrimaryFields(config.primaryFields());
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
     * The rollback latch is never overridden. If the outbox cannot be read, the decision stands.
     */
    public io.vertx.core.Future<Route> ordered(RoutingDecision decision, RequestKind kind, String tenant, Buffer body) {
        EntityKeys.Key key = EntityKeys.of(kind, tenant,
                kind.route().idFrom() == RequestKind.IdFrom.BODY ? PrimaryFields.idOf(body) : null);
        String entity = key.entity();
        Route asDecided = new Route(decision, tenant, entity, key.ordered());
        if (decision.reason() == RoutingDecision.Reason.ROLLBACK) {
            return io.vertx.core.Future.succeededFuture(asDecided);
        }
        Backend chosen = decision.backend();
        return outbox.hasOpen(entity, chosen)
                .map(open -> open ? new Route(new RoutingDecision(chosen.other(), RoutingDecision.Reason.OUTBOX_ORDER),
                        tenant, entity, key.ordered()) : asDecided)
                .otherwise(asDecided);
    }

    /**
     * Where a dual-written write goes first, its entity, and whether it is ordered behind that entity's
     * earlier writes (the body is read once).
     */
    public record Route(RoutingDecision decision, String tenant, String entityKey, boolean ordered) {
    }

    /**
     * The primary ({@code answered}) accepted the write with this answer body: settle the intent, with the
     * fields the primary assigned; a create on a collection ({@code id: body}) keyed by the id it created.
     */
    public io.vertx.core.Future<Void> accepted(Outbox.Ticket ticket, Backend answered, RequestKind kind, Buffer answer) {
        WriteIntent w = ticket.intent();
        Buffer body = primaryFields.carried(w.method(), w.body(), answer);
        String entity = w.entityKey();
        if (kind.route().idFrom() == RequestKind.IdFrom.BODY && body != w.body()) {
            entity = EntityKeys.of(kind, w.tenant(), PrimaryFields.idOf(body)).entity();
        }
        return ticket.confirm(w.settled(answered.other(), body, entity));
    }

    /**
     * Whether an earlier attempt of this write (the same {@code Idempotency-Key}) may have reached {@code primary}: it
     * was recorded and its answer never came (a reset, a timeout, a router that died). Such a write must not be applied
     * on the other side instead while {@code primary} cannot be asked: both would then have it, each with its own
     * fields. If the outbox cannot be read, the answer is no (as before this check).
     */
    public io.vertx.core.Future<Boolean> inDoubt(Outbox.Ticket ticket, Backend primary) {
        return outbox.inDoubt(ticket.intent(), primary).otherwise(false);
    }

    /** Whether writes are recorded at all (the router has a database). */
    public boolean enabled() {
        return outbox.enabled();
    }

    public boolean strict() {
        return outbox.strict();
    }
}
