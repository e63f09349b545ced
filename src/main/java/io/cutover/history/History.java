package io.cutover.history;

import io.cutover.clock.Ticker;
import io.cutover.rollback.LatchState;
import io.cutover.rollback.SharedLatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * This replica's recent past for the status page: per {@code cutover.history.interval}, V1's and V2's
 * request rate, error rate and p99, the effective V2 weight and the outbox lag, over the last
 * {@code cutover.history.span}; and the rollback latch's changes as marks. Kept in memory, per replica:
 * a restart starts it afresh, and each replica shows its own traffic.
 */
@Singleton
public class History {

    private static final Logger LOG = Logger.getLogger(History.class);

    /** How often the timer looks whether the ticker has left the open interval: {@value} ms. */
    static final long CHECK_MILLIS = 500;

    private final String replica;
    private final Instant startedAt;
    private final Duration interval;
    private final Duration span;
    private final Sampler sampler;
    private long timer = -1;

    @Inject
    History(HistoryConfig config, Ticker ticker, Clock clock, MeterRegistry registry,
            OutboxLag lag, SharedLatch latch) {
        this(config.interval(), config.span(), config.replica().orElseGet(History::hostname), ticker, clock,
                new RouterMeters(registry), lag, latch);
    }

    History(Duration interval, Duration span, String replica, Ticker ticker, Clock clock, RouterMeters meters,
            OutboxLag lag, SharedLatch latch) {
        HistoryRing ring = new HistoryRing(interval, span);
        this.interval = interval;
        this.span = span;
        this.replica = replica;
        this.startedAt = clock.instant();
        this.sampler = new Sampler(ticker, new Timeline(interval, ticker.nanos(), startedAt), ring, interval,
                meters::totals, meters::effectiveWeight, lag);
        latch.addListener(this::latchChanged);
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        timer = vertx.setPeriodic(CHECK_MILLIS, id -> {
            try {
                sampler.closeDue();
            } catch (RuntimeException e) {
                LOG.error("history: closing an interval failed", e);
            }
        });
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The ring now (every interval the ticker has left closed first). */
    public HistoryView view() {
        Sampler.Snapshot s = sampler.snapshot();
        return new HistoryView(replica, startedAt, interval.toMillis(), span.toMillis(), s.open(), s.points(), s.marks());
    }

    private void latchChanged(LatchState before, LatchState after, boolean local) {
        if (before.latched() == after.latched()) {
            return;
        }
        sampler.mark(new Mark(sampler.now(), after.latched() ? "latched" : "released", after.cause(), after.reason(),
                after.by(), local, after.since()));
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
