package io.cutover.demo;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Maps the reference API onto a {@link ReferenceStore}: resolves the tenant (V2), reads inputs,
 * runs the operation on a connection of the backend's pool (in a transaction for writes, with the
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
    private final Pool pool;
    private final ReferenceStore store;

    DemoRoutes(Vertx vertx, Flavor flavor, String tenantHeader, Clock clock, Pool pool) {
        this.vertx = vertx;
        this.flavor = flavor;
        this.tenantHeader = tenantHeader;
        this.clock = clock;
        this.pool = pool;
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
     * Runs the API's read queries once (on an empty result) before the backend listens: a database
     * that cannot be reached, or a schema the queries do not fit, fails the start rather than the
     * first client's request.
     */
    Future<Void> warmUp() {
        String tenant = flavor == Flavor.V2 ? "cutover-warm-up" : null;
        Page first = new Page(null, 1);
        Page after = new Page("~", 1);
        return pool.withConnection(c -> store.devices().list(c, tenant, first)
                .compose(v -> store.devices().list(c, tenant, after))
                .compose(v -> store.users().list(c, tenant, first))
                .compose(v -> store.users().list(c, tenant, after))
                .compose(v -> store.alerts().list(c, tenant, first))
                .compose(v -> store.alerts().list(c, tenant, after))
                .compose(v -> store.devices().find(c, tenant, "cutover-warm-up"))
                .compose(v -> store.telemetry(c, tenant, "cutover-warm-up", new TimeWindow(null, null, 1))
                        .recover(e -> e instanceof ApiError ? Future.succeededFuture() : Future.failedFuture(e)))
                .mapEmpty());
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

    /** One operation of the API, on a connection, for a tenant ({@code null} on V1). */
    @FunctionalInterface
    private interface Operation {
        Future<Reply> run(SqlConnection connection, String tenant, RoutingContext ctx);
    }

    private Handler<RoutingContext> read(Operation operation) {
        return ctx -> respond(ctx, pool.withConnection(c -> guarded(operation, c, ctx)));
    }

    private Handler<RoutingContext> write(Operation operation) {
        return ctx -> {
            String tenant = ctx.get(TENANT);
            String key = ctx.request().getHeader(IDEMPOTENCY_KEY_HEADER);
            respond(ctx, pool.withTransaction(c -> store.beforeWrite(c, tenant).compose(v -> key == null || key.isBlank()
                    ? guarded(operation, c, ctx)
                    : Idempotency.once(c, tenant == null ? "" : tenant, key, now(), () -> guarded(operation, c, ctx)))));
        };
    }

    /** The operation's answer, a client error (thrown while reading inputs or later) included. */
    private static Future<Reply> guarded(Operation operation, SqlConnection connection, RoutingContext ctx) {
        Future<Reply> reply;
        try {
            reply = operation.run(connection, ctx.get(TENANT), ctx);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        return reply.recover(e -> e instanceof ApiError error ? Future.succeededFuture(error.toReply()) : Future.failedFuture(e));
    }

    private static void respond(RoutingContext ctx, Future<Reply> work) {
        work.onSuccess(reply -> send(ctx, reply)).onFailure(failure -> send(ctx, Failures.reply(failure)));
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
