package io.cutover.rollback;

import io.cutover.clock.Ticker;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.RollbackThresholds;
import io.cutover.resilience.BackendBreakers;
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
import java.util.function.ToLongFunction;
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
    private final ToLongFunction<Backend> breakerEvidence;
    private final CallWindow[] windows = {new CallWindow(), new CallWindow()};
    private final BlindSpell blind = new BlindSpell();
    private volatile Verdict.Kind lastKind = Verdict.Kind.INCONCLUSIVE;
    private long timer = -1;
    private final List<Consumer<Verdict>> verdictListeners = new CopyOnWriteArrayList<>();

    @Inject
    RollbackGuard(Ticker ticker, PolicyStore policies, RollbackConfig config, SharedLatch latch, BackendBreakers breakers) {
        this(ticker, () -> policies.policy().rollback(), config.v1Margin(), latch, breakers::openedByCallsSince);
    }

    /** A guard whose breakers' short-circuits always rest on fresh evidence (tests of the verdicts alone). */
    RollbackGuard(Ticker ticker, Supplier<RollbackThresholds> thresholds, double v1Margin, SharedLatch latch) {
        this(ticker, thresholds, v1Margin, latch, b -> ticker.nanos());
    }

    /**
     * @param breakerEvidence per backend, since when (ticker nanoseconds) the calls that last opened
     *                        its breaker were made ({@link BackendBreakers#openedByCallsSince})
     */
    RollbackGuard(Ticker ticker, Supplier<RollbackThresholds> thresholds, double v1Margin, SharedLatch latch,
                  ToLongFunction<Backend> breakerEvidence) {
        if (v1Margin < 0 || v1Margin > 1) {
            throw new IllegalArgumentException("cutover.rollback.v1-margin: " + v1Margin + " (expected: 0 to 1)");
        }
        this.ticker = ticker;
        this.thresholds = thresholds;
        this.v1Margin = v1Margin;
        this.latch = latch;
        this.breakerEvidence = breakerEvidence;
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
     * backend, without a latency, only while the calls that opened the breaker are inside the
     * guard's window: so a dead V2 under steady load stays in the failing column (a breaker that
     * keeps opening does not hide it), but a breaker opened by calls older than the window adds
     * nothing, failure or request: it can never bring evidence its own calls did not give. Calls
     * that are the client's business ({@link Outcome#isFailure()} false: 4xx, a client that went
     * away) never count against the backend; a client that went away counts for nothing.
     */
    @Override
    public void onCall(Backend backend, Outcome outcome, long latencyNanos) {
        if (outcome == Outcome.CLIENT_ABORTED) {
            return;
        }
        long now = ticker.nanos();
        if (outcome == Outcome.BREAKER_OPEN) {
            long since = breakerEvidence.applyAsLong(backend);
            if (since != Long.MIN_VALUE && now - since <= windowOf(thresholds.get()).toNanos()) {
                windows[backend.ordinal()].record(true, -1, now);
            }
            return;
        }
        windows[backend.ordinal()].record(outcome.isFailure(), latencyNanos, now);
    }

    private static Duration windowOf(RollbackThresholds t) {
        return t.window().compareTo(CallWindow.MAX_WINDOW) > 0 ? CallWindow.MAX_WINDOW : t.window();
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

    /**
     * Inconclusive windows in a row (too few V2 requests), counted in whole {@code rollback.window}s
     * since the last conclusive verdict; 0 when the last verdict was conclusive.
     */
    public long inconclusiveWindows() {
        return blind.windows();
    }

    /** Inconclusive windows counted since start ({@code cutover_rollback_inconclusive_windows_total}). */
    public long inconclusiveWindowsTotal() {
        return blind.total();
    }

    /** How long the guard has been unable to judge V2; zero when its last verdict was conclusive. */
    public Duration blindFor() {
        long since = blind.since();
        return since == BlindSpell.NONE ? Duration.ZERO : Duration.ofNanos(Math.max(0, ticker.nanos() - since));
    }

    /** Judges the windows now and trips the latch if the verdict says so. */
    public Verdict evaluate() {
        Verdict verdict = judge();
        lastKind = verdict.kind();
        long newlyBlind = blind.observe(verdict.kind() == Verdict.Kind.INCONCLUSIVE, ticker.nanos(),
                verdict.figures().windowMs() * 1_000_000L);
        if (newlyBlind > 0 && blind.windows() == newlyBlind) {
            LOG.warnf("rollback guard cannot judge V2: %s (it says so every window in /admin/status)", verdict.reason());
        }
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
        blind.reset();
    }
}
