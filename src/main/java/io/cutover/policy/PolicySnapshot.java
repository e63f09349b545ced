package io.cutover.policy;

import java.time.Instant;
import java.util.Map;

/**
 * The policy in force, with its version (1 for the first, +1 per accepted reload) and source.
 *
 * @param policy      what routing obeys: the file's policy without the refused pins
 * @param requested   the policy as the file says it
 * @param refusedPins tenant -> why its pin to V2 is not applied (the {@link PinGate}); empty normally
 */
public record PolicySnapshot(TrafficPolicy policy, long version, String source, Instant loadedAt,
                             TrafficPolicy requested, Map<String, String> refusedPins) {

    public PolicySnapshot {
        refusedPins = Map.copyOf(refusedPins);
    }

    public PolicySnapshot(TrafficPolicy policy, long version, String source, Instant loadedAt) {
        this(policy, version, source, loadedAt, policy, Map.of());
    }
}
