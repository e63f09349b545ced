package io.cutover.resilience;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides whether a backend call failed: connect error, timeout, reset and 5xx
 * are failures; 4xx is the client's business. The breakers, the fallback, the metrics and the
 * rollback guard all ask this class, so they can never disagree.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static Outcome ofStatus(int status) {
        if (status >= 500) {
            return Outcome.SERVER_ERROR;
        }
        return status >= 400 ? Outcome.CLIENT_ERROR : Outcome.SUCCESS;
    }

    /**
     * @param sent whether the request was already handed to a connection when it failed
     */
    public static Outcome ofError(Throwable error, boolean sent) {
        Throwable t = unwrap(error);
        if (t instanceof BackendFailure f) {
            return f.outcome();
        }
        if (t instanceof CircuitBreakerOpenException) {
            return Outcome.BREAKER_OPEN;
        }
        if (t instanceof TimeoutException) {
            return sent ? Outcome.TIMEOUT : Outcome.CONNECT_ERROR;
        }
        if (!sent || t instanceof ConnectException || t instanceof UnknownHostException) {
            return Outcome.CONNECT_ERROR;
        }
        if (t instanceof HttpClosedException || t instanceof StreamResetException || t instanceof IOException) {
            return Outcome.RESET;
        }
        return Outcome.RESET;
    }

    /** Whether an error thrown by a guarded call counts as a failure of the backend. */
    public static boolean isFailure(Throwable error) {
        Throwable t = unwrap(error);
        return t instanceof BackendFailure f ? f.outcome().isFailure() : ofError(t, true).isFailure();
    }

    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
