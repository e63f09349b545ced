package io.cutover.tenantstate;

import io.cutover.routing.TenantPhases.Phase;
import java.util.HashMap;
import java.util.Map;

/**
 * One replica's copy of the tenants' states and last verify runs, immutable, swapped whole. The
 * router reads {@link #phase} on every request: one lookup in an immutable map, no allocation.
 *
 * @param states   tenant -> recorded state
 * @param verifies tenant -> its last own verify run ({@code verify --tenant})
 * @param global   the last verify run over every tenant, or {@code null}
 */
record TenantSnapshot(Map<String, TenantState> states, Map<String, LastVerify> verifies, LastVerify global,
                      Map<String, Phase> phases) {

    static final TenantSnapshot EMPTY = new TenantSnapshot(Map.of(), Map.of(), null);

    TenantSnapshot(Map<String, TenantState> states, Map<String, LastVerify> verifies, LastVerify global) {
        this(Map.copyOf(states), Map.copyOf(verifies), global, phasesOf(states));
    }

    private static Map<String, Phase> phasesOf(Map<String, TenantState> states) {
        Map<String, Phase> phases = new HashMap<>();
        states.forEach((tenant, s) -> {
            if (s.state().phase() != Phase.FOLLOW_POLICY) {
                phases.put(tenant, s.state().phase());
            }
        });
        return Map.copyOf(phases);
    }

    Phase phase(String tenant) {
        Phase p = tenant == null ? null : phases.get(tenant);
        return p == null ? Phase.FOLLOW_POLICY : p;
    }

    /** The tenant's own last verify, else the last one over everything; {@code null} when there is none. */
    LastVerify lastVerify(String tenant) {
        LastVerify own = tenant == null ? null : verifies.get(tenant);
        return own != null ? own : global;
    }
}
