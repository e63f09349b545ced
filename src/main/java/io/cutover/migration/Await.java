package io.cutover.migration;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;

/** Blocks the calling (job) thread on a Vert.x future; never called on an event loop. */
public final class Await {

    private Await() {
    }

    public static <T> T result(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(JobFailure.UNUSABLE, "interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        }
    }
}
