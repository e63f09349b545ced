package io.cutover.resilience;

import io.cutover.routing.Backend;

/**
 * Told of every backend call the proxy makes, with {@link FailureClassifier}'s verdict: the feed of
 * the rollback guard's windows. Implementations are CDI beans; they run on the event loop, so they
 * must only record (no I/O, no locks held for long).
 */
public interface CallObserver {

    /**
     * @param latencyNanos from sending to the answer; negative when the call was not sent
     *                     ({@link Outcome#BREAKER_OPEN}: the breaker refused it)
     */
    void onCall(Backend backend, Outcome outcome, long latencyNanos);
}
