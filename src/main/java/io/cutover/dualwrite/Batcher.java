package io.cutover.dualwrite;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit by natural batching: the first item goes at once; items that arrive while a batch
 * is in flight wait and go together in the next one. Under light load nothing waits for a timer;
 * under heavy load one database round trip carries hundreds of rows.
 */
public final class Batcher<T> {

    private final Function<List<T>, Future<Void>> flush;
    private final int maxBatch;
    private List<T> waiting = new ArrayList<>();
    private List<Promise<Void>> waiters = new ArrayList<>();
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
            waiters.add(p);
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
        List<Promise<Void>> promises;
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
            for (Promise<Void> p : promises) {
                if (ar.succeeded()) {
                    p.tryComplete();
                } else {
                    p.tryFail(ar.cause());
                }
            }
            next();
        });
    }
}
