package io.cutover.rollback;

import io.cutover.routing.RollbackLatch;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The rollback latch the router obeys: one {@link LatchState} in an {@link AtomicReference}, read
 * from memory on every request. Changes made here (guard, operator) are audited and told to the
 * {@link Listener}s (the shared store writes them to PostgreSQL, the metrics count them); changes
 * made by another replica arrive through {@link #adopt}.
 */
@Singleton
public class SharedLatch implements RollbackLatch {

    private static final Logger LOG = Logger.getLogger(SharedLatch.class);

    /** Told of every change of the state, local or adopted. */
    public interface Listener {
        /**
         * @param local true when this replica made the change (guard or operator here), false when it
         *              was adopted from the shared store
         */
        void changed(LatchState before, LatchState after, boolean local);
    }

    /** The result of asking for a transition: whether it happened, and the state now. */
    public record Transition(boolean changed, LatchState state) {
    }

    private final AtomicReference<LatchState> current;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Inject
    public SharedLatch(Clock clock) {
        this.clock = clock;
        this.current = new AtomicReference<>(LatchState.initial(clock.instant()));
    }

    @Override
    public boolean isLatched() {
        return current.get().latched();
    }

    public LatchState state() {
        return current.get();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** The guard's transition: latches unless already latched. */
    public Transition trip(Verdict verdict) {
        for (;;) {
            LatchState before = current.get();
            if (before.latched()) {
                return new Transition(false, before);
            }
            LatchState after = before.trip(verdict, clock.instant());
            if (current.compareAndSet(before, after)) {
                applied(before, after);
                return new Transition(true, after);
            }
        }
    }

    /** An operator's latch: unless already latched. */
    public Transition latchByHand(String reason, String who, GuardFigures figures) {
        for (;;) {
            LatchState before = current.get();
            if (before.latched()) {
                return new Transition(false, before);
            }
            LatchState after = before.latchByHand(reason, who, figures, clock.instant());
            if (current.compareAndSet(before, after)) {
                applied(before, after);
                return new Transition(true, after);
            }
        }
    }

    /** An operator's release: unless not latched. */
    public Transition release(String reason, String who) {
        for (;;) {
            LatchState before = current.get();
            if (!before.latched()) {
                return new Transition(false, before);
            }
            LatchState after = before.release(reason, who, clock.instant());
            if (current.compareAndSet(before, after)) {
                applied(before, after);
                return new Transition(true, after);
            }
        }
    }

    /**
     * Takes the shared store's state, if the local one is still {@code seen} (a local change made
     * meanwhile wins: it is on its way to the store). Not audited here: the replica that made the
     * change audited it.
     *
     * @return whether the state was replaced
     */
    public boolean adopt(LatchState seen, LatchState fromStore) {
        if (seen.equals(fromStore) || !current.compareAndSet(seen, fromStore)) {
            return false;
        }
        if (seen.state() != fromStore.state()) {
            LOG.infof("rollback latch is now %s, as set by %s on another replica (reason=%s, since=%s)",
                    fromStore.state(), fromStore.by(), fromStore.reason(), fromStore.since());
        }
        for (Listener l : listeners) {
            l.changed(seen, fromStore, false);
        }
        return true;
    }

    private void applied(LatchState before, LatchState after) {
        LOG.infof("AUDIT rollback %s by=%s cause=%s reason=%s figures=%s", after.latched() ? "latched" : "released",
                after.by(), after.cause(), after.reason(), after.figures());
        for (Listener l : listeners) {
            try {
                l.changed(before, after, true);
            } catch (RuntimeException e) {
                LOG.errorf(e, "rollback latch listener %s failed", l);
            }
        }
    }
}
