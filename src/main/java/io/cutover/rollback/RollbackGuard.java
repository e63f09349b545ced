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
 * Weighs V2 against V1 on the backends' own answers. Every call that reached a backend (as
 * {@link io.cutover.resilience.FailureClassifier} judged it) is added to the guard's {@link Evidence},
 * which accumulates across evaluations over at most {@code rollback.horizon}; every
 * {@code cutover.rollback.evaluate-interval} the evidence is judged by {@link Weighing} against the
 * policy's {@link RollbackThresholds} (read anew each time; a change of them starts the evidence
 * afresh, as a test's prior and level are fixed before its data). A verdict that trips latches the
 * {@link SharedLatch}. When a latch is released the evidence starts afresh, so that the failures
 * that caused it do not trip it again.
 * <p>
 * A call refused by a backend's open breaker never reached the backend: it is shown (short-circuits)
 * but is no evidence of the backend's error rate, one way or the other. The breaker's half-open
 * probes are real calls, so a breaker that stays open on a dead V2 keeps adding evidence, one probe
 * per {@code breaker.delay}.
 */
@Singleton
public class RollbackGuard implements CallObserver {

    private static final Logger LOG = Logger.getLogger(RollbackGuard.class);

    private final Ticker ticker;
    private final Supplier<RollbackThresholds> thresholds;
    private final double v1Margin;
    private final SharedLatch latch;
    private final CallWindow[] windows = {new CallWindow(), new CallWindow()};
    private final BlindSpell blind = new BlindSpell();
    private final Evidence evidence;
    private volatile Weighing weighing;
    private volatile Verdict last;
    private volatile long noDataSince = BlindSpell.NONE;
    private volatile Explained explained;
    static final long EXPLAIN_EVERY_MS = 1000;
    private long timer = -1;
    private final List<Consumer<Verdict>> verdictListeners = new CopyOnWriteArrayList<>();

    @Inject
    RollbackGuard(Ticker ticker, PolicyStore policies, RollbackConfig config, SharedLatch latch) {
        this(ticker, () -> policies.policy().rollback(), config.v1Margin(), latch);
    }

    /** A guard on its own, outside CDI (tests of what reads its verdicts, such as the progression). */
    public RollbackGuard(Ticker ticker, Supplier<RollbackThresholds> thresholds, double v1Margin, SharedLatch latch) {
        if (v1Margin < 0 || v1Margin > 1) {
            throw new IllegalArgumentException("cutover.rollback.v1-margin: " + v1Margin + " (expected: 0 to 1)");
        }
        this.ticker = ticker;
        this.thresholds = thresholds;
        this.v1Margin = v1Margin;
        this.latch = latch;
        RollbackThresholds t = thresholds.get();
        this.weighing = new Weighing(t, v1Margin);
        this.evidence = new Evidence(ticker.nanos(), t.horizon().toNanos());
        this.last = new Verdict(Verdict.Kind.NO_DATA, "not evaluated yet", null);
        if (latch == null) {
            return;
        }
        latch.addListener((before, after, local) -> {
            if (before.latched() && !after.latched()) {
                reset();
                LOG.info("rollback latch released: the guard's evidence starts afresh");
            }
        });
    }

    /**
     * A guard that gathers calls as the router's guard does and is never asked for a verdict: it can latch nothing and
     * nobody reads it. The router's warm-up requests are told to it (io.cutover.proxy.WarmUp), not to the real one.
     */
    public static RollbackGuard gatheringOnly(Ticker ticker, Supplier<RollbackThresholds> thresholds, double v1Margin) {
        return new RollbackGuard(ticker, thresholds, v1Margin, null);
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
     * Counts a call that reached the backend, with its latency. A call its open breaker refused is
     * only shown; a client that went away counts for nothing; answers that are the client's
     * business ({@link Outcome#isFailure()} false: 4xx) count as requests that did not fail.
     */
    @Override
    public void onCall(Backend backend, Outcome outcome, long latencyNanos) {
        if (outcome == Outcome.CLIENT_ABORTED) {
            return;
        }
        if (outcome == Outcome.BREAKER_OPEN || latencyNanos < 0) {
            evidence.shortCircuit(backend, ticker.nanos());
            return;
        }
        Weighing w = current(thresholds.get());
        long now = ticker.nanos();
        windows[backend.ordinal()].record(outcome.isFailure(), latencyNanos, now);
        evidence.call(backend, outcome.isFailure(), latencyNanos > w.slowNanos(), now);
    }

    /** What the guard's verdict rests on now, in full (how sure the evidence makes the guard, the p99s). */
    public GuardFigures figures() {
        return explain(judge()).figures();
    }

    /** {@link #figures()}, worked out at most once per {@value #EXPLAIN_EVERY_MS} ms (metrics, status). */
    GuardFigures explained() {
        return explainedVerdict().figures();
    }

    /** The verdict the evidence gives now, in full, worked out at most once per {@value #EXPLAIN_EVERY_MS} ms. */
    public Verdict explainedVerdict() {
        long now = ticker.nanos();
        Explained e = explained;
        if (e == null || now - e.at() >= EXPLAIN_EVERY_MS * 1_000_000L || now < e.at()) {
            e = new Explained(now, explain(judge()));
            explained = e;
        }
        return e.verdict();
    }

    private record Explained(long at, Verdict verdict) {
    }

    /** The recent calls of both backends over {@code rollback.window} (at most 10 minutes), as before any test. */
    public GuardFigures recent() {
        Duration w = thresholds.get().window();
        w = w.compareTo(CallWindow.MAX_WINDOW) > 0 ? CallWindow.MAX_WINDOW : w;
        long now = ticker.nanos();
        return new GuardFigures(w.toMillis(), windows[0].figures(now, w), windows[1].figures(now, w));
    }

    /** The kind of the last evaluation's verdict. */
    public Verdict.Kind lastVerdict() {
        return last.kind();
    }

    /** The last evaluation's verdict, with its reason. */
    public Verdict last() {
        return last;
    }

    /**
     * Registers a listener told of every evaluation's verdict, after the latch has been tripped if
     * the verdict trips it (the progression of weights reads the guard through this).
     */
    public void addVerdictListener(Consumer<Verdict> listener) {
        verdictListeners.add(listener);
    }

    /**
     * Verdicts in a row that could not judge V2 (no data, or not yet enough evidence), counted in
     * whole {@code rollback.window}s since the last conclusive verdict; 0 when the last one was conclusive.
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
        return since(blind.since());
    }

    /** How long no V2 request has reached V2 within the horizon (verdict {@code no-data}); zero otherwise. */
    public Duration noDataFor() {
        return since(noDataSince);
    }

    private Duration since(long since) {
        return since == BlindSpell.NONE ? Duration.ZERO : Duration.ofNanos(Math.max(0, ticker.nanos() - since));
    }

    /** Judges the evidence now and trips the latch if the verdict says so. */
    public Verdict evaluate() {
        Verdict verdict = judge();
        long now = ticker.nanos();
        if (verdict.kind() == Verdict.Kind.NO_DATA) {
            if (noDataSince == BlindSpell.NONE) {
                noDataSince = now;
            }
        } else {
            noDataSince = BlindSpell.NONE;
        }
        long newlyBlind = blind.observe(!verdict.kind().conclusive(), now, weighing.thresholds().window().toNanos());
        if (newlyBlind > 0 && blind.windows() == newlyBlind) {
            LOG.warnf("rollback guard cannot judge V2 yet: %s (it says so in /admin/status)", verdict.reason());
        }
        if (verdict.kind().trips() && !latch.isLatched()) {
            verdict = explain(verdict);
            latch.trip(verdict);
        }
        if (verdict.kind() != last.kind()) {
            explained = null;   // what status shows follows a new verdict at once, not after the cache's interval
        }
        last = verdict;
        for (Consumer<Verdict> listener : verdictListeners) {
            try {
                listener.accept(verdict);
            } catch (RuntimeException e) {
                LOG.error("rollback verdict listener failed", e);
            }
        }
        return verdict;
    }

    /** The more severe verdict of the two series of evidence (the one with more history on a tie). */
    private Verdict judge() {
        Weighing w = current(thresholds.get());
        Evidence.Snapshot[] series = evidence.roll(ticker.nanos());
        Verdict older = w.judge(series[0], false);
        Verdict younger = w.judge(series[1], false);
        return younger.kind().severity() > older.kind().severity() ? younger : older;
    }

    /**
     * The weighing of the thresholds in force. A reload that changes them starts the evidence afresh (a test's prior
     * and level are fixed before its data), noticed by the first call or evaluation after it; the same thresholds
     * reloaded keep it.
     */
    private Weighing current(RollbackThresholds t) {
        Weighing w = weighing;
        if (t == w.thresholds()) {
            return w;
        }
        synchronized (this) {
            w = weighing;
            if (t != w.thresholds()) {
                boolean changed = !t.equals(w.thresholds());
                w = new Weighing(t, v1Margin);
                if (changed) {
                    evidence.restart(ticker.nanos(), t.horizon().toNanos());
                    LOG.infof("rollback thresholds changed: the guard's evidence starts afresh");
                }
                weighing = w;
            }
            return w;
        }
    }

    /** The verdict with its figures in full: how sure the evidence makes the guard, and the p99s over its span. */
    private Verdict explain(Verdict v) {
        GuardFigures f = v.figures();
        if (f == null) {
            return v;
        }
        Evidence.Counts v1 = counts(f.v1());
        Evidence.Counts v2 = counts(f.v2());
        Weighing w = weighing;
        long now = ticker.nanos();
        Duration span = Duration.ofMillis(Math.min(f.windowMs(), CallWindow.MAX_WINDOW.toMillis()));
        GuardFigures full = new GuardFigures(f.windowMs(),
                w.backend(v1, true).withP99(windows[0].figures(now, span).p99Ms()),
                w.backend(v2, true).withP99(windows[1].figures(now, span).p99Ms()),
                f.test(), f.confidence(), f.promoteConfidence(), w.worseConfidence(v1, v2), w.healthyConfidence(v2));
        return new Verdict(v.kind(), v.reason(), full);
    }

    private static Evidence.Counts counts(WindowFigures f) {
        return new Evidence.Counts(f.requests(), f.failures(), f.slow(), f.shortCircuits());
    }

    /** Forgets every call seen so far. */
    void reset() {
        for (CallWindow w : windows) {
            w.reset();
        }
        evidence.restart(ticker.nanos(), weighing.thresholds().horizon().toNanos());
        blind.reset();
        noDataSince = BlindSpell.NONE;
        explained = null;
    }
}
