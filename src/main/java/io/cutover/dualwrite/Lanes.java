package io.cutover.dualwrite;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * At most {@code width} sends in flight towards one target (its connection pool's size): the rest
 * wait here, not in the HTTP client's pool queue, where waiting counts against the connect
 * timeout and would fail sends that the target never saw.
 */
final class Lanes {

    private final int width;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    Lanes(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("lanes: " + width + " (expected: > 0)");
        }
        this.width = width;
    }

    <T> Future<T> submit(Supplier<Future<T>> send) {
        Promise<T> done = Promise.promise();
        Runnable start = () -> {
            Future<T> f;
            try {
                f = send.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                next();
                done.handle(ar);
            });
        };
        boolean now;
        synchronized (this) {
            now = inFlight < width;
            if (now) {
                inFlight++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return done.future();
    }

    private void next() {
        Runnable r;
        synchronized (this) {
            r = waiting.poll();
            if (r == null) {
                inFlight--;
            }
        }
        if (r != null) {
            r.run();
        }
    }
}
