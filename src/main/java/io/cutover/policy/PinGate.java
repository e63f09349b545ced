package io.cutover.policy;

import java.util.Map;

/**
 * Decides which pins of a policy are not applied: a pin to V2 for a tenant whose last verification
 * found differences, unless the policy forces it. Asked by {@link PolicyStore} when a policy is
 * installed and again when the verification results change; answers from memory.
 */
public interface PinGate {

    /** Refuses nothing (no router database, no verification results). */
    PinGate NONE = policy -> Map.of();

    /** @return tenant -> why its pin is refused; empty when every pin is applied */
    Map<String, String> refused(TrafficPolicy policy);
}
