package io.cutover.resilience;

import io.cutover.routing.Backend;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/**
 * Every {@link CallObserver} (the rollback guard), resolved once, told of each call to a backend: the proxy's and the
 * outbox's alike, since both are real calls of that backend.
 */
@Singleton
public class CallObservers {

    private final CallObserver[] observers;

    @jakarta.inject.Inject
    CallObservers(Instance<CallObserver> observers) {
        this.observers = observers.stream().toArray(CallObserver[]::new);
    }

    /** These observers only (the router's warm-up: a guard of its own that decides nothing). */
    public CallObservers(CallObserver... observers) {
        this.observers = observers.clone();
    }

    /** A call that reached the backend ({@code nanos} from sending to the answer), or {@link Outcome#BREAKER_OPEN} (not sent). */
    public void called(Backend backend, Outcome outcome, long nanos) {
        long latency = outcome == Outcome.BREAKER_OPEN ? -1 : nanos;
        for (CallObserver o : observers) {
            o.onCall(backend, outcome, latency);
        }
    }
}
