package io.cutover.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code cutover.warm-up.*}: before it reports ready, the router sends requests through its own
 * forwarding path to a stand-in backend of its own on loopback (never to V1 or V2), so that the JIT
 * has compiled the request path before the first client arrives (docs/operations.md, "Warm-up").
 */
@ConfigMapping(prefix = "cutover.warm-up")
public interface WarmUpConfig {

    /** Off: ready as soon as started; the first seconds of traffic run on interpreted code. */
    @WithDefault("true")
    boolean enabled();

    /** Requests sent through the router before it is ready (reads and writes to V1 and V2, all to the stand-in). */
    @WithDefault("80000")
    int requests();

    /** The warm-up ends after this long even if it has not sent {@link #requests()}: readiness never waits longer. */
    @WithDefault("30s")
    Duration maxDuration();

    /** Connections the warm-up keeps busy at once. */
    @WithDefault("16")
    int connections();
}
