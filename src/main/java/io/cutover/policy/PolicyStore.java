package io.cutover.policy;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Holds the policy in force as one immutable snapshot, swapped atomically. A request reads
 * {@link #current()} once and passes it down, so that it never sees half of a reload. Pins that
 * the {@link PinGate} refuses are left out of the policy in force and listed in the snapshot.
 */
@Singleton
public class PolicyStore {

    private static final Logger LOG = Logger.getLogger(PolicyStore.class);

    private final AtomicReference<PolicySnapshot> current;
    private final Clock clock;
    private final Instance<PinGate> gates;

    public PolicyStore(Clock clock) {
        this(clock, null);
    }

    @Inject
    public PolicyStore(Clock clock, Instance<PinGate> gates) {
        this.clock = clock;
        this.gates = gates;
        this.current = new AtomicReference<>(new PolicySnapshot(TrafficPolicy.DEFAULT, 0, "built-in default", clock.instant()));
    }

    public PolicySnapshot current() {
        return current.get();
    }

    public TrafficPolicy policy() {
        return current.get().policy();
    }

    /** Puts a new policy in force (without the pins the gate refuses); returns its snapshot. */
    public PolicySnapshot install(TrafficPolicy policy, String source) {
        Map<String, String> refused = gate().refused(policy);
        PolicySnapshot s = current.updateAndGet(old -> new PolicySnapshot(policy.withoutPins(refused.keySet()),
                old.version() + 1, source, clock.instant(), policy, refused));
        logRefused(Map.of(), s);
        return s;
    }

    /**
     * Asks the gate again about the policy in force (the verification results changed): a pin it
     * now refuses is taken out, a pin it no longer refuses is put back. The version stays.
     */
    public PolicySnapshot reapplyPinGate() {
        for (;;) {
            PolicySnapshot old = current.get();
            Map<String, String> refused = gate().refused(old.requested());
            if (refused.equals(old.refusedPins())) {
                return old;
            }
            PolicySnapshot s = new PolicySnapshot(old.requested().withoutPins(refused.keySet()), old.version(),
                    old.source(), old.loadedAt(), old.requested(), refused);
            if (current.compareAndSet(old, s)) {
                logRefused(old.refusedPins(), s);
                for (String tenant : old.refusedPins().keySet()) {
                    if (!refused.containsKey(tenant)) {
                        LOG.infof("pin of tenant %s to %s applied again: its verification no longer refuses it (policy v%d)",
                                tenant, s.requested().pins().get(tenant).id(), s.version());
                    }
                }
                return s;
            }
        }
    }

    private static void logRefused(Map<String, String> before, PolicySnapshot s) {
        s.refusedPins().forEach((tenant, why) -> {
            if (!why.equals(before.get(tenant))) {
                LOG.errorf("pin of tenant %s to v2 REFUSED, not applied (the tenant follows the weight): %s"
                        + " (policy v%d from %s; to pin anyway: tenants: {%s: {backend: v2, force: true}})",
                        tenant, why, s.version(), s.source(), tenant);
            }
        });
    }

    private PinGate gate() {
        return gates == null || !gates.isResolvable() ? PinGate.NONE : gates.get();
    }
}
