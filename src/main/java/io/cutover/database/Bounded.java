package io.cutover.database;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * A database call with a bound in time. The Vert.x PG client has no statement timeout of its own: a
 * query on a connection to a server that is stopped, or behind a network that drops packets, waits
 * until TCP gives up (minutes). Past the bound the returned future fails with {@link TimedOut}; the
 * call itself goes on and may still take effect later (so what follows must not depend on it not
 * having happened).
 */
public final class Bounded {

    private Bounded() {
    }

    /** Thrown (without a stack) when a call did not complete within its bound. */
    public static final class TimedOut extends RuntimeException {
        public TimedOut(String what, Duration bound) {
            super(what + ": no answer from the router's database within " + bound.toMillis() + " ms", null, false, false);
        }
    }

    public static <T> Future<T> within(Vertx vertx, Future<T> call, Duration bound, String what) {
        if (call.isComplete()) {
            return call;
        }
        Promise<T> p = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, bound.toMillis()), id -> p.tryFail(new TimedOut(what, bound)));
        call.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                p.tryComplete(ar.result());
            } else {
                p.tryFail(ar.cause());
            }
        });
        return p.future();
    }
}
