package io.cutover.proxy;

import io.cutover.routing.RollbackLatch;
import io.cutover.routing.TenantPhases;
import io.cutover.routing.TrafficRouter;
import io.cutover.routing.V2Weights;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Mounts the proxy as a catch-all route on the Quarkus HTTP server, ahead of the default routes. */
@ApplicationScoped
class ProxyRoute {

    /**
     * Ahead of every route that serves something, the router's own {@code /q} endpoints included (Vert.x
     * matches those on its normalised path, so {@code /q/./metrics} would reach them): every request is
     * screened first, and the router's own paths are served only under their canonical name. A 400, 413
     * or 431 answered by anything (Vert.x's own refusals of a target it cannot decode included) closes
     * the connection (RFC 9112: what follows on it cannot be trusted to be framed as the client meant).
     */
    void mount(@Observes Router router, ProxyHandler handler) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(handler);
        router.route().order(Integer.MIN_VALUE).failureHandler(ProxyRoute::closeAfterRefusal);
        for (int status : CLOSING) {
            router.errorHandler(status, rc -> {
                closeAfterRefusal(rc.response(), rc.request());
                if (!rc.response().ended()) {
                    rc.response().setStatusCode(status).end();
                }
            });
        }
    }

    private static final int[] CLOSING = {400, 413, 431};

    private static void closeAfterRefusal(io.vertx.ext.web.RoutingContext rc) {
        int status = rc.statusCode();
        for (int s : CLOSING) {
            if (s == status) {
                closeAfterRefusal(rc.response(), rc.request());
            }
        }
        rc.next();
    }

    private static void closeAfterRefusal(io.vertx.core.http.HttpServerResponse response, io.vertx.core.http.HttpServerRequest req) {
        if (req.version() == io.vertx.core.http.HttpVersion.HTTP_2 || response.headWritten()) {
            return;
        }
        response.putHeader(io.vertx.core.http.HttpHeaders.CONNECTION, "close");
        response.endHandler(v -> req.connection().close());
    }

    @Produces
    @Singleton
    TrafficRouter trafficRouter(RollbackLatch latch, TenantPhases tenantPhases, V2Weights weights) {
        return new TrafficRouter(latch, tenantPhases, weights);
    }
}
