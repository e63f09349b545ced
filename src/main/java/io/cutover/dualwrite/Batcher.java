package io.cutover.dualwrite;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit by natural batching: the first item goes at once; items that arrive while a batch
 * is in flight wait and go together in the next one. Under light load nothing waits for a timer;
 * under heavy load one database round trip carries hundreds of rows.
 *
 * <p>A batch completes on whichever event loop ran its flush, but a submitter (a request's exchange) is confined to
 * its own Vert.x context: each submitter's future completes back on the context it submitted from (the request's),
 * never on another request's event loop.
 */
public final class Batcher<T> {

    private final Function<List<T>, Future<Void>> flush;
    private final int maxBatch;
    private List<T> waiting = new ArrayList<>();
    private List<Waiter> waiters = new ArrayList<>();
    private boolean inFlight;

    public Batcher(int maxBatch, Function<List<T>, Future<Void>> flush) {
        this.maxBatch = maxBatch;
        this.flush = flush;
    }

    synchronized int queued() {
        return waiting.size();
    }

    public Future<Void> submit(T item) {
        Promise<Void> p = Promise.promise();
        boolean start;
        synchronized (this) {
            waiting.add(item);
            waiters.add(new Waiter(p, Vertx.currentContext()));
            start = !inFlight;
            if (start) {
                inFlight = true;
            }
        }
        if (start) {
            next();
        }
        return p.future();
    }

    private void next() {
        List<T> items;
        List<Waiter> promises;
        synchronized (this) {
            if (waiting.isEmpty()) {
                inFlight = false;
                return;
            }
            if (waiting.size() <= maxBatch) {
                items = waiting;
                promises = waiters;
                waiting = new ArrayList<>();
                waiters = new ArrayList<>();
            } else {
                items = new ArrayList<>(waiting.subList(0, maxBatch));
                promises = new ArrayList<>(waiters.subList(0, maxBatch));
                waiting.subList(0, maxBatch).clear();
                waiters.subList(0, maxBatch).clear();
            }
        }
        Future<Void> f;
        try {
            f = flush.apply(items);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            for (Waiter w : promises) {
                w.settle(ar.cause());
            }
            next();
        });
    }

    /** A submitter's promise and the context it submitted from ({@code null}: not on a Vert.x thread). */
    private record Waiter(Promise<Void> promise, Context context) {

        void settle(Throwable failure) {
            if (context == null || Vertx.currentContext() == context) {
                complete(failure);
            } else {
                context.runOnContext(v -> complete(failure));
            }
        }

        private void complete(Throwable failure) {
            if (failure == null) {
                promise.tryComplete();
            } else {
                promise.tryFail(failure);
            }
        }
    }
}
