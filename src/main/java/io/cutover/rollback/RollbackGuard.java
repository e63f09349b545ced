package io.cutover.rollback;

import io.cutover.clock.Ticker;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.RollbackThresholds;
import io.cutover.resilience.CallObserver;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Watches every backend call (as {@link io.cutover.resilience.FailureClassifier} judged it) in one
 * sliding window per backend, and every {@code cutover.rollback.evaluate-interval} judges V2 against
 * the policy's {@link RollbackThresholds} (read anew each time, so a reload applies at once). A
 * verdict that trips latches the {@link SharedLatch}. When a latch is released the windows are
 * cleared, so that the failures that caused it do not trip it again.
 */
@Singleton
public class RollbackGuard implements CallObserver {

    private static final Logger LOG = Logger.getLogger(RollbackGuard.class);

    private final Ticker ticker;
    private final Supplier<RollbackThresholds> thresholds;
    private final double v1Margin;
    private final SharedLatch latch;
    private final CallWindow[] windows = {new CallWindow(), new CallWindow()};
    private volatile Verdict.Kind lastKind = Verdict.Kind.INCONCLUSIVE;
    private long timer = -1;
    private final List<Consumer<Verdict>> verdictListeners = new CopyOnWriteArrayList<>();

    @Inject
    RollbackGuard(Ticker ticker, PolicyStore policies, RollbackConfig config, SharedLatch latch) {
        this(ticker, () -> policies.policy().rollback(), config.v1Margin(), latch);
    }

    RollbackGuard(Ticker ticker, Supplier<RollbackThresholds> thresholds, double v1Margin, SharedLatch latch) {
        if (v1Margin < 0 || v1Margin > 1) {
            throw new IllegalArgumentException("cutover.rollback.v1-margin: " + v1Margin + " (expected: 0 to 1)");
        }
        this.ticker = ticker;
        this.thresholds = thresholds;
        this.v1Margin = v1Margin;
        this.latch = latch;
        latch.addListener((before, after, local) -> {
            if (before.latched() && !after.latched()) {
                reset();
                LOG.info("rollback latch released: the guard's windows start afresh");
            }
        });
    }

    void start(@Observes StartupEvent event, Vertx vertx, RollbackConfig config) {
        timer = vertx.setPeriodic(config.evaluateInterval().toMillis(), id -> {
            try {
                evaluate();
            } catch (RuntimeException e) {
                LOG.error("rollback guard evaluation failed", e);
            }
        });
    }

    void stop(@Observes ShutdownEvent event, Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Counts a call. A call refused by the backend's open breaker counts as a failed request of that
     * backend (it was meant for it and it could not serve it), without a latency: else a breaker
     * that keeps opening would hide a lasting V2 outage from the guard. A client that went away
     * counts for nothing.
     */
    @Override
    public void onCall(Backend backend, Outcome outcome, long latencyNanos) {
        if (outcome == Outcome.CLIENT_ABORTED) {
            return;
        }
        boolean failure = outcome.isFailure() || outcome == Outcome.BREAKER_OPEN;
        windows[backend.ordinal()].record(failure, outcome == Outcome.BREAKER_OPEN ? -1 : latencyNanos, ticker.nanos());
    }

    /** Both backends' figures over the policy's window, now. */
    public GuardFigures figures() {
        return figures(thresholds.get().window());
    }

    private GuardFigures figures(Duration window) {
        long now = ticker.nanos();
        Duration w = window.compareTo(CallWindow.MAX_WINDOW) > 0 ? CallWindow.MAX_WINDOW : window;
        return new GuardFigures(w.toMillis(),
                windows[Backend.V1.ordinal()].figures(now, w), windows[Backend.V2.ordinal()].figures(now, w));
    }

    /** The verdict of the last evaluation. */
    public Verdict.Kind lastVerdict() {
        return lastKind;
    }

    /**
     * Registers a listener told of every evaluation's verdict, after the latch has been tripped if
     * the verdict trips it (the progression of weights reads the guard through this).
     */
    public void addVerdictListener(Consumer<Verdict> listener) {
        verdictListeners.add(listener);
    }

    /** Judges the windows now and trips the latch if the verdict says so. */
    public Verdict evaluate() {
        Verdict verdict = judge();
        lastKind = verdict.kind();
        if (verdict.kind().trips() && !latch.isLatched()) {
            latch.trip(verdict);
        }
        for (Consumer<Verdict> listener : verdictListeners) {
            try {
                listener.accept(verdict);
            } catch (RuntimeException e) {
                LOG.error("rollback verdict listener failed", e);
            }
        }
        return verdict;
    }

    private Verdict judge() {
        RollbackThresholds t = thresholds.get();
        if (t.window().compareTo(CallWindow.MAX_WINDOW) > 0) {
            LOG.debugf("rollback.window %s is longer than the guard keeps: judging the last %s", t.window(), CallWindow.MAX_WINDOW);
        }
        return Verdict.judge(t, v1Margin, figures(t.window()));
    }

    /** Forgets every call seen so far. */
    void reset() {
        for (CallWindow w : windows) {
            w.reset();
        }
    }
}
