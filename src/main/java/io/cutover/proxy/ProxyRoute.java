package io.cutover.proxy;

import io.cutover.routing.RollbackLatch;
import io.cutover.routing.TenantPhases;
import io.cutover.routing.TrafficRouter;
import io.cutover.routing.V2Weights;
import io.cutover.edge.LogSafe;
import io.cutover.observability.RouterMetrics;
import io.quarkus.vertx.http.runtime.RouteConstants;
import java.util.Map;
import org.jboss.logging.Logger;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Mounts the proxy as a catch-all route on the Quarkus HTTP server, ahead of the default routes. */
@ApplicationScoped
class ProxyRoute {

    private static final Logger LOG = Logger.getLogger(ProxyRoute.class);

    /**
     * Ahead of every route that serves something, the router's own {@code /q} endpoints included (Vert.x
     * matches those on its normalised path, so {@code /q/./metrics} would reach them): every request is
     * screened first, and the router's own paths are served only under their canonical name. A 400, 413
     * or 431 answered by anything (Vert.x's own refusals of a target it cannot decode included) closes
     * the connection (RFC 9112: what follows on it cannot be trusted to be framed as the client meant).
     */
    void mount(@Observes Router router, ProxyHandler handler, ProxyConfig config, RouterMetrics metrics) {
        ResponseRelay relay = new ResponseRelay(config.backendHeader());
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(handler);
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            String message = CLOSING.get(rc.statusCode());
            if (message == null || rc.response().ended()) {
                rc.next();
                return;
            }
            // the client's fault (no Host, a Host Vert.x cannot parse...): answered here, closed, no ERROR line
            metrics.rejected("http");
            if (LOG.isDebugEnabled()) {
                LOG.debugf("refused %s: %s", LogSafe.escape(rc.request().uri()), LogSafe.escape(String.valueOf(rc.failure())));
            }
            handler.closeAfterAnswer(rc.request());
            relay.error(rc.response(), rc.statusCode(), null, message);
        });
        CLOSING.keySet().forEach(status -> router.errorHandler(status, rc -> {
            handler.closeAfterAnswer(rc.request());
            if (!rc.response().ended()) {
                rc.response().setStatusCode(status).end();
            }
        }));
    }

    /** Client errors after which the connection is closed, with what the client is told. */
    private static final Map<Integer, String> CLOSING = Map.of(400, "bad request", 413, "request too large",
            431, "request header fields too large");

    @Produces
    @Singleton
    TrafficRouter trafficRouter(RollbackLatch latch, TenantPhases tenantPhases, V2Weights weights) {
        return new TrafficRouter(latch, tenantPhases, weights);
    }
}
