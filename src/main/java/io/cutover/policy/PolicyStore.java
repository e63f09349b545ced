package io.cutover.policy;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the policy in force as one immutable snapshot, swapped atomically. A request reads
 * {@link #current()} once and passes it down, so that it never sees half of a reload.
 */
@Singleton
public class PolicyStore {

    private final AtomicReference<PolicySnapshot> current;
    private final Clock clock;

    @Inject
    public PolicyStore(Clock clock) {
        this.clock = clock;
        this.current = new AtomicReference<>(new PolicySnapshot(TrafficPolicy.DEFAULT, 0, "built-in default", clock.instant()));
    }

    public PolicySnapshot current() {
        return current.get();
    }

    public TrafficPolicy policy() {
        return current.get().policy();
    }

    /** Puts a new policy in force; returns its snapshot. */
    public PolicySnapshot install(TrafficPolicy policy, String source) {
        return current.updateAndGet(old -> new PolicySnapshot(policy, old.version() + 1, source, clock.instant()));
    }
}
