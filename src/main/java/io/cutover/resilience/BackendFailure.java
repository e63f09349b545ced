package io.cutover.resilience;

/**
 * A backend call that {@link FailureClassifier} judged not successful. It may carry the backend's
 * answer (a 5xx that can still be relayed) and says whether the request can have reached the
 * backend at all: a write that was {@linkplain #notSent() not sent} can safely go to the other side.
 */
public final class BackendFailure extends RuntimeException {

    private final Outcome outcome;
    private final boolean sent;
    private final transient Object answer;

    public BackendFailure(Outcome outcome, boolean sent, Object answer, Throwable cause) {
        super(outcome.tag(), cause, false, false);
        this.outcome = outcome;
        this.sent = sent;
        this.answer = answer;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** True when the backend cannot have seen the request (no connection, breaker open). */
    public boolean notSent() {
        return !sent;
    }

    /** The backend's own answer, when there was one (a 5xx); {@code null} otherwise. */
    @SuppressWarnings("unchecked")
    public <T> T answer() {
        return (T) answer;
    }
}
