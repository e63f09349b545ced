package io.cutover.progression;

import io.cutover.database.ChangeFeed;
import io.cutover.database.RouterDatabase;
import io.cutover.notify.Notice;
import io.cutover.notify.Notifier;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.ProgressionPlan;
import io.cutover.policy.TrafficPolicy;
import io.cutover.progression.ProgressionState.Phase;
import io.cutover.progression.Transitions.Asked;
import io.cutover.progression.Transitions.Event;
import io.cutover.progression.Transitions.Move;
import io.cutover.rollback.LatchState;
import io.cutover.rollback.RollbackGuard;
import io.cutover.rollback.SharedLatch;
import io.cutover.rollback.Verdict;
import io.cutover.routing.V2Weights;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The progression of the V2 weight on this replica: reads every verdict of the {@link RollbackGuard}
 * and moves the shared {@link ProgressionState} by its {@link Transitions}; the latch aborts it. The
 * state is the shared row's (written compare-and-set, so one replica promotes and all follow within
 * the poll interval, by {@code LISTEN}), and the weight in force is read from memory on every request
 * ({@link V2Weights}). Without a router database the state is this replica's alone.
 */
public final class Progression implements V2Weights {

    private static final Logger LOG = Logger.getLogger(Progression.class);
    static final Duration START_READ_WAIT = Duration.ofSeconds(5);
    static final int EVENTS_LIMIT = 20;
    /** How often an operator's change is judged again after losing only to a write of the guard's hold. */
    static final int HOLD_RACES = 3;

    /** The answer to an operator's request: whether it changed anything, why not, and the state now. */
    public record Result(boolean changed, String refused, ProgressionState state) {
    }

    /** What this replica tells: notifications and counted results. */
    interface Listener {
        Listener NONE = (move, before) -> { };

        /** A move this replica wrote (the winner of a race; never one adopted from another replica). */
        void moved(Move move, ProgressionState before);
    }

    private final Supplier<TrafficPolicy> policies;
    private final SharedLatch latch;
    private final Clock clock;
    private final Duration holdResolution;
    private final Listener listener;
    private final AtomicReference<ProgressionState> current = new AtomicReference<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile Instant lastLocalHold;
    private volatile ProgressionStore store;
    private ChangeFeed feed;

    Progression(Supplier<TrafficPolicy> policies, SharedLatch latch, Clock clock, Duration holdResolution, Listener listener) {
        this.policies = policies;
        this.latch = latch;
        this.clock = clock;
        this.holdResolution = holdResolution;
        this.listener = listener;
        latch.addListener((before, after, local) -> {
            if (after.latched()) {
                tick(null);
            }
        });
    }

    static Progression of(PolicyStore policies, SharedLatch latch, Clock clock, ProgressionConfig config, Listener listener) {
        return new Progression(policies::policy, latch, clock, config.holdResolution(), listener);
    }

    /** Reads the shared row (waiting at most {@link #START_READ_WAIT}), then follows it. Call where blocking is allowed. */
    void start(RouterDatabase db, Vertx vertx, Duration pollInterval) {
        if (!db.configured()) {
            LOG.warn("no router database: the progression is local to this replica and starts again at each restart");
            return;
        }
        store = new ProgressionStore(db.pool());
        try {
            sync().toCompletionStage().toCompletableFuture().get(START_READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            ProgressionState s = current.get();
            LOG.infof("progression read from the database: %s", s == null ? "never started" : describe(s));
        } catch (Exception e) {
            LOG.warnf("cannot read the progression at start (%s): no step is promoted until it can be read (retrying every %s)",
                    ChangeFeed.rootMessage(e), pollInterval);
        }
        feed = new ChangeFeed(vertx, db.connectOptions(), ProgressionStore.CHANNEL, "shared progression", pollInterval, this::sync);
        feed.start();
    }

    void stop() {
        if (feed != null) {
            feed.stop();
        }
    }

    /** Uses {@code store} for the shared row (tests: several replicas on one database). */
    void share(ProgressionStore s) {
        this.store = s;
    }

    /** The state in force here ({@code null}: no progression started). */
    public ProgressionState state() {
        return current.get();
    }

    /** The progression as the admin API shows it, under the policy in force. */
    public ProgressionView view() {
        TrafficPolicy p = policies.get();
        return ProgressionView.of(p, current.get(), v2Weight(p), clock.instant());
    }

    public ProgressionPlan plan() {
        return policies.get().progression();
    }

    @Override
    public double v2Weight(TrafficPolicy policy) {
        ProgressionPlan plan = policy.progression();
        if (plan == null) {
            return policy.v2Weight();
        }
        ProgressionState s = current.get();
        if (s == null) {
            return store == null ? plan.first() : 0;
        }
        return s.phase() == Phase.ABORTED ? 0 : plan.stepAtOrBelow(s.weight());
    }

    /** One verdict of the guard (null: only check the latch and the steps). */
    void onVerdict(Verdict verdict) {
        if (verdict != null && verdict.kind() != Verdict.Kind.HEALTHY) {
            lastLocalHold = clock.instant();
        }
        tick(verdict);
    }

    private void tick(Verdict verdict) {
        ProgressionPlan plan = plan();
        if (plan == null) {
            return;
        }
        Instant now = clock.instant();
        ProgressionState s = current.get();
        if (s == null) {
            if (latch.isLatched()) {
                return; // starts once the latch is released
            }
            apply(null, new Move(Transitions.initial(plan, now, ProgressionState.BY_GUARD, "progression in the policy"),
                    Event.STARTED));
            return;
        }
        if (latch.isLatched()) {
            LatchState l = latch.state();
            apply(s, Transitions.abort(s, now, l.cause() + (l.reason() == null ? "" : " (" + l.reason() + ")")));
            return;
        }
        Move reconciled = Transitions.reconcile(plan, s, now);
        if (reconciled != null) {
            apply(s, reconciled);
            return;
        }
        if (verdict != null) {
            apply(s, Transitions.verdict(plan, s, verdict.kind(), verdict.reason(), now, lastLocalHold, holdResolution));
        }
    }

    public Future<Result> promote(String who, String why) {
        return ask(s -> Transitions.promote(plan(), s, clock.instant(), who, why));
    }

    public Future<Result> pause(String who, String why) {
        return ask(s -> Transitions.pause(s, clock.instant(), who, why));
    }

    public Future<Result> resume(String who, String why) {
        return ask(s -> Transitions.resume(s, clock.instant(), who, why));
    }

    public Future<Result> restart(String who, String why) {
        if (latch.isLatched()) {
            return Future.succeededFuture(new Result(false,
                    "the rollback latch is latched (expected: released first, DELETE /admin/rollback)", current.get()));
        }
        return ask(s -> Transitions.restart(plan(), s, clock.instant(), who, why));
    }

    /** The last audited changes, newest first (empty without a database). */
    public Future<List<ProgressionStore.Event>> events() {
        ProgressionStore st = store;
        return st == null ? Future.succeededFuture(List.of()) : st.events(EVENTS_LIMIT);
    }

    private Future<Result> ask(Function<ProgressionState, Asked> request) {
        return ask(request, HOLD_RACES);
    }

    /**
     * An operator's change is judged against the state it was asked of and written only if that
     * state is still the shared one. When it lost to a write that only recorded the guard's hold
     * (same phase, weight and step), it is judged again against the new state, at most
     * {@code races} times; when it lost to a real move (a promotion, another operator), it is
     * refused, so that one promote can never become two.
     */
    private Future<Result> ask(Function<ProgressionState, Asked> request, int races) {
        if (plan() == null) {
            return Future.succeededFuture(new Result(false, "the traffic policy has no progression", null));
        }
        ProgressionState s = current.get();
        if (s == null) {
            return Future.succeededFuture(new Result(false, "the progression has not started yet (it starts at the guard's"
                    + " next evaluation)", null));
        }
        Asked asked = request.apply(s);
        if (asked.refused() != null) {
            return Future.succeededFuture(new Result(false, asked.refused(), s));
        }
        Move m = asked.move();
        LOG.infof("AUDIT progression %s by=%s reason=%s: %s -> %s", m.event().name().toLowerCase(Locale.ROOT),
                m.next().by(), m.next().reason(), describe(s), describe(m.next()));
        return write(s, m).compose(written -> {
            ProgressionState now = current.get();
            if (written) {
                return Future.succeededFuture(new Result(true, null, now));
            }
            if (races > 0 && onlyHeld(s, now)) {
                return ask(request, races - 1);
            }
            return Future.succeededFuture(new Result(false, "another replica changed the progression meanwhile (now "
                    + describe(now) + "): look and ask again", now));
        });
    }

    /** True when {@code after} differs from {@code before} only by the guard's hold (its reason, its time). */
    private static boolean onlyHeld(ProgressionState before, ProgressionState after) {
        return after != null && before.phase() == after.phase() && before.weight() == after.weight()
                && java.util.Objects.equals(before.stepSince(), after.stepSince())
                && java.util.Objects.equals(before.by(), after.by())
                && java.util.Objects.equals(before.reason(), after.reason());
    }

    /** Writes a move from the guard; a second one while one is in flight waits for the next verdict. */
    private void apply(ProgressionState before, Move move) {
        if (move == null || !writing.compareAndSet(false, true)) {
            return;
        }
        write(before, move).onComplete(ar -> {
            writing.set(false);
            if (ar.failed()) {
                LOG.debugf("progression: %s not written (%s); tried again at the next verdict", move.event(),
                        ChangeFeed.rootMessage(ar.cause()));
            }
        });
    }

    /** @return whether the move was made (false: another replica changed the state first; this one now has it) */
    private Future<Boolean> write(ProgressionState before, Move move) {
        ProgressionStore st = store;
        if (st == null) {
            boolean done = current.compareAndSet(before, move.next());
            if (done) {
                moved(move, before);
            }
            return Future.succeededFuture(done);
        }
        boolean audited = move.event() != Event.HELD;
        return st.write(before, move.next(), move.event(), audited).compose(written -> {
            if (written != null) {
                adopt(written);
                moved(move, before);
                return Future.succeededFuture(true);
            }
            return sync().map(x -> false);
        });
    }

    private void moved(Move move, ProgressionState before) {
        if (move.event() != Event.HELD) {
            LOG.infof("progression %s: %s", move.event().name().toLowerCase(Locale.ROOT).replace('_', '-'), describe(move.next()));
        }
        try {
            listener.moved(move, before);
        } catch (RuntimeException e) {
            LOG.error("progression listener failed", e);
        }
    }

    private Future<?> sync() {
        ProgressionStore st = store;
        if (st == null) {
            return Future.succeededFuture();
        }
        return st.read().map(row -> {
            if (row != null || !writing.get()) { // a first insert in flight is not undone by an older read
                adopt(row);
            }
            return row;
        });
    }

    /**
     * Takes the shared row if it is newer than the copy here; no row (an operator deleted it to start afresh):
     * none here either.
     */
    private void adopt(ProgressionState row) {
        if (row == null) {
            current.set(null);
            return;
        }
        current.getAndUpdate(mine -> mine == null || row.version() > mine.version() ? row : mine);
    }

    /** Whether no write of this replica is in flight (tests wait for it before moving the clock). */
    boolean idle() {
        return !writing.get();
    }

    static String describe(ProgressionState s) {
        if (s == null) {
            return "not started";
        }
        return s.phase().tag() + " at " + Transitions.fmt(s.weight()) + "% since " + s.stepSince()
                + (s.hold() == null ? "" : " (last hold: " + s.hold() + ")");
    }
}
