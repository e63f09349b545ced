package io.cutover.policy;

import java.time.Instant;

/** The policy in force, with its version (1 for the first, +1 per accepted reload) and source. */
public record PolicySnapshot(TrafficPolicy policy, long version, String source, Instant loadedAt) {
}
