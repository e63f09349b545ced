package io.cutover.database;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps one replica's in-memory copy of shared rows in step with the router's database: runs
 * {@code sync} on every {@code NOTIFY <channel>} (a {@code LISTEN} on a connection of its own) and,
 * as a safety net, every poll interval. Syncs never overlap: a NOTIFY that arrives during one
 * triggers another right after it. While the database is down the copy stays as it is; a warning
 * is logged once, and the recovery once.
 */
public final class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

    private final Vertx vertx;
    private final PgConnectOptions listenOptions;
    private final String channel;
    private final String what;
    private final Duration pollInterval;
    private final Supplier<Future<?>> sync;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final AtomicBoolean listening = new AtomicBoolean();
    private volatile boolean failing;
    private volatile boolean subscribed;
    private volatile boolean stopped;
    private volatile PgSubscriber subscriber;
    private long timer = -1;

    /**
     * @param what names the shared rows in log lines ("shared rollback latch")
     * @param sync reads (or writes) the shared rows; a failed future counts as the database being unreachable
     */
    public ChangeFeed(Vertx vertx, PgConnectOptions listenOptions, String channel, String what, Duration pollInterval,
                      Supplier<Future<?>> sync) {
        this.vertx = vertx;
        this.listenOptions = listenOptions;
        this.channel = channel;
        this.what = what;
        this.pollInterval = pollInterval;
        this.sync = sync;
    }

    /** Whether the last sync failed (the database is unreachable). */
    /** Whether the {@code LISTEN} is in place (a NOTIFY now reaches this feed without waiting for the poll). */
    public boolean subscribed() {
        return subscribed;
    }

    public boolean failing() {
        return failing;
    }

    /** LISTENs and polls; the first sync is the caller's (at start, it may wait for it). */
    public void start() {
        listen();
        timer = vertx.setPeriodic(Math.max(10, pollInterval.toMillis()), id -> trigger());
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        PgSubscriber s = subscriber;
        if (s != null) {
            s.close();
        }
    }

    /** Syncs now, or right after the sync in flight. */
    public void trigger() {
        if (stopped) {
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        Future<?> step;
        try {
            step = sync.get();
        } catch (RuntimeException e) {
            step = Future.failedFuture(e);
        }
        step.onComplete(ar -> {
            busy.set(false);
            if (ar.failed()) {
                again.set(false);
                if (!failing) {
                    failing = true;
                    LOG.warnf("%s: database unreachable (%s); this replica keeps its copy in memory and retries every %s",
                            what, rootMessage(ar.cause()), pollInterval);
                }
                return;
            }
            if (!listening.get()) {
                listen();
            }
            if (failing) {
                failing = false;
                LOG.infof("%s: database reachable again", what);
            }
            if (again.getAndSet(false)) {
                vertx.runOnContext(v -> trigger());
            }
        });
    }

    private void listen() {
        if (stopped || !listening.compareAndSet(false, true)) {
            return;
        }
        PgSubscriber old = subscriber;
        if (old != null) {
            old.close();
        }
        PgSubscriber s = PgSubscriber.subscriber(vertx, listenOptions);
        s.reconnectPolicy(retries -> pollInterval.toMillis() * 2);
        // once LISTEN is in place, sync: a change made between the caller's first read and now is not missed
        s.channel(channel).handler(payload -> trigger()).subscribeHandler(v -> {
            subscribed = true;
            trigger();
        });
        s.closeHandler(v -> subscribed = false);
        s.connect().onFailure(e -> {
            subscribed = false;
            listening.set(false);
            LOG.warnf("cannot LISTEN %s (%s): polling every %s meanwhile", channel, rootMessage(e), pollInterval);
        });
        subscriber = s;
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
