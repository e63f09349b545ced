package io.cutover.demo;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Maps the reference API onto a {@link ReferenceStore}: resolves the tenant (V2), reads inputs,
 * runs the operation in a Hibernate Reactive session (a transaction for writes, with the
 * Idempotency-Key check in it) and writes the {@link Reply}.
 */
final class DemoRoutes {

    /** Largest accepted request body, in bytes: {@value}. */
    static final long BODY_LIMIT = 1024 * 1024;
    /** Header whose repeated value makes a write answer its first answer again: {@value}. */
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

    private static final String TENANT = "cutover.demo.tenant";

    private final Vertx vertx;
    private final Flavor flavor;
    private final String tenantHeader;
    private final Clock clock;
    private final Mutiny.SessionFactory sessions;
    private final ReferenceStore store;

    DemoRoutes(Vertx vertx, Flavor flavor, String tenantHeader, Clock clock, Mutiny.SessionFactory sessions) {
        this.vertx = vertx;
        this.flavor = flavor;
        this.tenantHeader = tenantHeader;
        this.clock = clock;
        this.sessions = sessions;
        this.store = flavor == Flavor.V1 ? new V1Store() : new V2Store();
    }

    Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> send(ctx, Reply.ok(new JsonObject().put("status", "UP"))));
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
        router.route("/api/*").handler(this::resolveTenant);

        router.get("/api/devices").handler(read((s, t, c) -> store.devices().list(s, t, Requests.page(c)).map(Reply::ok)));
        router.post("/api/devices").handler(write((s, t, c) -> store.devices().create(s, t, Requests.body(c), now()).map(Reply::created)));
        router.get("/api/devices/:id").handler(read((s, t, c) -> store.devices().read(s, t, Requests.id(c)).map(Reply::ok)));
        router.put("/api/devices/:id").handler(write((s, t, c) -> store.devices().replace(s, t, Requests.id(c), Requests.body(c), now()).map(Reply::ok)));
        router.patch("/api/devices/:id").handler(write((s, t, c) -> store.devices().merge(s, t, Requests.id(c), Requests.body(c), now()).map(Reply::ok)));
        router.delete("/api/devices/:id").handler(write((s, t, c) -> store.deleteDevice(s, t, Requests.id(c)).map(v -> Reply.noContent())));
        router.get("/api/devices/:id/telemetry").handler(read((s, t, c) -> store.telemetry(s, t, Requests.id(c), Requests.window(c)).map(Reply::ok)));
        router.post("/api/devices/:id/telemetry").handler(write((s, t, c) ->
                store.append(s, t, Requests.id(c), ReadingInput.of(Requests.body(c))).map(Reply::created)));

        router.get("/api/users").handler(read((s, t, c) -> store.users().list(s, t, Requests.page(c)).map(Reply::ok)));
        router.post("/api/users").handler(write((s, t, c) -> store.users().create(s, t, Requests.body(c), now()).map(Reply::created)));
        router.get("/api/users/:id").handler(read((s, t, c) -> store.users().read(s, t, Requests.id(c)).map(Reply::ok)));
        router.put("/api/users/:id").handler(write((s, t, c) -> store.users().replace(s, t, Requests.id(c), Requests.body(c), now()).map(Reply::ok)));
        router.delete("/api/users/:id").handler(write((s, t, c) -> store.users().delete(s, t, Requests.id(c)).map(v -> Reply.noContent())));

        router.get("/api/alerts").handler(read((s, t, c) -> store.alerts().list(s, t, Requests.page(c)).map(Reply::ok)));
        router.post("/api/alerts").handler(write((s, t, c) -> store.alerts().create(s, t, Requests.body(c), now()).map(Reply::created)));
        router.get("/api/alerts/:id").handler(read((s, t, c) -> store.alerts().read(s, t, Requests.id(c)).map(Reply::ok)));
        router.patch("/api/alerts/:id").handler(write((s, t, c) -> store.alerts().merge(s, t, Requests.id(c), Requests.body(c), now()).map(Reply::ok)));

        router.errorHandler(404, ctx -> send(ctx, Reply.error(404, "no such resource: " + ctx.request().path())));
        router.errorHandler(405, ctx -> send(ctx, Reply.error(405, "method not allowed: " + ctx.request().method())));
        router.errorHandler(413, ctx -> send(ctx, Reply.error(413, "request body too large")));
        router.errorHandler(500, ctx -> send(ctx, Failures.reply(ctx.failure())));
        return router;
    }

    /**
     * Runs the API's read queries once (on an empty result), so that Hibernate has translated them
     * before the first client waits on one: a cold first query takes seconds on a small machine,
     * longer than a proxy's response timeout.
     */
    Uni<Void> warmUp() {
        String tenant = flavor == Flavor.V2 ? "cutover-warm-up" : null;
        Page first = new Page(null, 1);
        Page after = new Page("~", 1);
        Uni<Void> reads = sessions.withSession(s -> store.devices().list(s, tenant, first)
                .chain(() -> store.devices().list(s, tenant, after))
                .chain(() -> store.users().list(s, tenant, first))
                .chain(() -> store.users().list(s, tenant, after))
                .chain(() -> store.alerts().list(s, tenant, first))
                .chain(() -> store.alerts().list(s, tenant, after))
                .chain(() -> store.devices().find(s, tenant, "cutover-warm-up"))
                .chain(() -> store.telemetry(s, tenant, "cutover-warm-up", new TimeWindow(null, null, 1))
                        .onFailure(ApiError.class).recoverWithNull())
                .replaceWithVoid());
        return onSafeContext(() -> reads);
    }

    private void resolveTenant(RoutingContext ctx) {
        if (flavor == Flavor.V2) {
            String tenant = ctx.request().getHeader(tenantHeader);
            if (tenant == null || tenant.isBlank()) {
                send(ctx, Reply.error(400, "missing tenant header " + tenantHeader, tenantHeader));
                return;
            }
            ctx.put(TENANT, tenant.trim());
        }
        ctx.next();
    }

    /** One operation of the API, in a session, for a tenant ({@code null} on V1). */
    @FunctionalInterface
    private interface Operation {
        Uni<Reply> run(Mutiny.Session session, String tenant, RoutingContext ctx);
    }

    private Handler<RoutingContext> read(Operation operation) {
        return ctx -> respond(ctx, () -> sessions.withSession(s -> guarded(operation, s, ctx)));
    }

    private Handler<RoutingContext> write(Operation operation) {
        return ctx -> {
            String tenant = ctx.get(TENANT);
            String key = ctx.request().getHeader(IDEMPOTENCY_KEY_HEADER);
            respond(ctx, () -> sessions.withTransaction((s, tx) -> store.beforeWrite(s, tenant).chain(() -> key == null || key.isBlank()
                    ? guarded(operation, s, ctx)
                    : Idempotency.once(s, tenant == null ? "" : tenant, key, now(), () -> guarded(operation, s, ctx)))));
        };
    }

    /** The operation's answer, a client error (thrown while reading inputs or later) included. */
    private static Uni<Reply> guarded(Operation operation, Mutiny.Session session, RoutingContext ctx) {
        return Uni.createFrom().deferred(() -> operation.run(session, ctx.get(TENANT), ctx))
                .onFailure(ApiError.class).recoverWithItem(e -> ((ApiError) e).toReply());
    }

    private void respond(RoutingContext ctx, Supplier<Uni<Reply>> work) {
        onSafeContext(work).subscribe().with(reply -> send(ctx, reply), failure -> send(ctx, Failures.reply(failure)));
    }

    /**
     * Runs the work on a fresh duplicated Vert.x context flagged safe, as Hibernate Reactive in
     * Quarkus requires (the session lives in the context's local data).
     */
    private <T> Uni<T> onSafeContext(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(v -> work.get().subscribe().with(emitter::complete, emitter::fail));
        });
    }

    private Instant now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
    }

    private static void send(RoutingContext ctx, Reply reply) {
        HttpServerResponse response = ctx.response().setStatusCode(reply.status());
        if (reply.body() == null) {
            response.end();
        } else {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
        }
    }
}
