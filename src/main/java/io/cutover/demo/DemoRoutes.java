package io.cutover.demo;

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
import java.util.function.BiFunction;

/**
 * Maps the reference API onto a {@link DemoStore}: resolves the scope (tenant), reads inputs,
 * runs the operation under the store's lock and writes the {@link Reply}.
 */
final class DemoRoutes {

    /** Largest accepted request body, in bytes: {@value}. */
    static final long BODY_LIMIT = 1024 * 1024;

    private static final String SCOPE = "cutover.demo.tenant";

    private final Flavor flavor;
    private final String tenantHeader;
    private final Clock clock;
    private final DemoStore store;

    DemoRoutes(Flavor flavor, String tenantHeader, Clock clock, DemoStore store) {
        this.flavor = flavor;
        this.tenantHeader = tenantHeader;
        this.clock = clock;
        this.store = store;
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> send(ctx, Reply.ok(new JsonObject().put("status", "UP"))));
        router.route("/api/*").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
        router.route("/api/*").handler(this::resolveScope);

        router.get("/api/devices").handler(read((s, c) -> Reply.ok(s.devices().list(Requests.page(c)))));
        router.post("/api/devices").handler(write((s, c) -> Reply.created(s.devices().create(Requests.body(c), now()))));
        router.get("/api/devices/:id").handler(read((s, c) -> Reply.ok(s.devices().get(Requests.id(c)))));
        router.put("/api/devices/:id").handler(write((s, c) -> Reply.ok(s.devices().replace(Requests.id(c), Requests.body(c), now()))));
        router.patch("/api/devices/:id").handler(write((s, c) -> Reply.ok(s.devices().merge(Requests.id(c), Requests.body(c), now()))));
        router.delete("/api/devices/:id").handler(write((s, c) -> {
            s.deleteDevice(Requests.id(c));
            return Reply.noContent();
        }));
        router.get("/api/devices/:id/telemetry").handler(read((s, c) -> {
            String deviceId = s.devices().get(Requests.id(c)).getString("id");
            return Reply.ok(s.telemetry().list(deviceId, Requests.window(c)));
        }));
        router.post("/api/devices/:id/telemetry").handler(write((s, c) -> {
            String deviceId = s.devices().get(Requests.id(c)).getString("id");
            return Reply.created(s.telemetry().append(deviceId, Requests.body(c)));
        }));

        router.get("/api/users").handler(read((s, c) -> Reply.ok(s.users().list(Requests.page(c)))));
        router.post("/api/users").handler(write((s, c) -> Reply.created(s.users().create(Requests.body(c), now()))));
        router.get("/api/users/:id").handler(read((s, c) -> Reply.ok(s.users().get(Requests.id(c)))));
        router.put("/api/users/:id").handler(write((s, c) -> Reply.ok(s.users().replace(Requests.id(c), Requests.body(c), now()))));
        router.delete("/api/users/:id").handler(write((s, c) -> {
            s.users().delete(Requests.id(c));
            return Reply.noContent();
        }));

        router.get("/api/alerts").handler(read((s, c) -> Reply.ok(s.alerts().list(Requests.page(c)))));
        router.post("/api/alerts").handler(write((s, c) -> Reply.created(s.alerts().create(Requests.body(c), now()))));
        router.get("/api/alerts/:id").handler(read((s, c) -> Reply.ok(s.alerts().get(Requests.id(c)))));
        router.patch("/api/alerts/:id").handler(write((s, c) -> Reply.ok(s.alerts().merge(Requests.id(c), Requests.body(c), now()))));

        router.errorHandler(404, ctx -> send(ctx, Reply.error(404, "no such resource: " + ctx.request().path())));
        router.errorHandler(405, ctx -> send(ctx, Reply.error(405, "method not allowed: " + ctx.request().method())));
        router.errorHandler(413, ctx -> send(ctx, Reply.error(413, "request body too large")));
        router.errorHandler(500, ctx -> send(ctx, Reply.error(500, "internal error")));
        return router;
    }

    private void resolveScope(RoutingContext ctx) {
        if (flavor == Flavor.V1) {
            ctx.put(SCOPE, DemoStore.SINGLE_TENANT);
            ctx.next();
            return;
        }
        String tenant = ctx.request().getHeader(tenantHeader);
        if (tenant == null || tenant.isBlank()) {
            send(ctx, Reply.error(400, "missing tenant header " + tenantHeader));
            return;
        }
        ctx.put(SCOPE, tenant.trim());
        ctx.next();
    }

    private Handler<RoutingContext> read(BiFunction<Scope, RoutingContext, Reply> operation) {
        return ctx -> send(ctx, store.read(ctx.get(SCOPE), scope -> operation.apply(scope, ctx)));
    }

    private Handler<RoutingContext> write(BiFunction<Scope, RoutingContext, Reply> operation) {
        return ctx -> {
            String key = ctx.request().getHeader(DemoBackend.IDEMPOTENCY_KEY_HEADER);
            String idempotencyKey = key == null || key.isBlank() ? null : key;
            send(ctx, store.write(ctx.get(SCOPE), idempotencyKey, scope -> operation.apply(scope, ctx)));
        };
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
