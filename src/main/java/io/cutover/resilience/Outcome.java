package io.cutover.resilience;

import java.util.Locale;

/**
 * How a backend call ended, as {@link FailureClassifier} sees it. The failures
 * ({@link #isFailure()}) are what the breakers, the fallback and the rollback guard count.
 */
public enum Outcome {
    SUCCESS(false),
    CLIENT_ERROR(false),
    SERVER_ERROR(true),
    TIMEOUT(true),
    CONNECT_ERROR(true),
    RESET(true),
    /** The backend's breaker was open: the request was not sent. */
    BREAKER_OPEN(false),
    /** The client went away before the answer; not the backend's fault. */
    CLIENT_ABORTED(false);

    private final boolean failure;
    private final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');

    Outcome(boolean failure) {
        this.failure = failure;
    }

    /** A failure of the backend: counts against it in the breaker and the rollback guard. */
    public boolean isFailure() {
        return failure;
    }

    public String tag() {
        return tag;
    }
}
