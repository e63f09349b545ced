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

    void mount(@Observes Router router, ProxyHandler handler) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(handler);
    }

    @Produces
    @Singleton
    TrafficRouter trafficRouter(RollbackLatch latch, TenantPhases tenantPhases, V2Weights weights) {
        return new TrafficRouter(latch, tenantPhases, weights);
    }
}
