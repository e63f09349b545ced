package io.cutover.proxy;

import io.cutover.observability.RouterMetrics;
import io.cutover.resilience.BackendBreakers;
import io.cutover.resilience.CallObservers;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * What a proxied request is counted in: the request meters, the backends' breakers, and the call observers (the
 * rollback guard). A client's request is counted in the router's own; a warm-up request ({@link WarmUp}) in a set of its
 * own, built alike so that the warm-up runs the same code, and looked at by nobody.
 */
@Singleton
class Bookkeeping {

    final RouterMetrics metrics;
    final BackendBreakers breakers;
    final CallObservers observers;

    @Inject
    Bookkeeping(RouterMetrics metrics, BackendBreakers breakers, CallObservers observers) {
        this.metrics = metrics;
        this.breakers = breakers;
        this.observers = observers;
    }
}
