package io.cutover.proxy;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** {@code cutover.proxy.*}: the proxy's limits and which paths migrate. */
@ConfigMapping(prefix = "cutover.proxy")
public interface ProxyConfig {

    /** Largest request body; above it the client gets 413 and no backend sees the request. */
    @WithDefault("1M")
    MemorySize maxBody();

    /**
     * A read served by V2 is held back up to this size before it is sent on, so that V2 failing
     * mid-answer can still be answered by V1. A larger answer streams, and can no longer fall back.
     * The heap a read in flight holds is at most this.
     */
    @WithDefault("256K")
    MemorySize fallbackBuffer();

    /**
     * How long a V2 read's body is held back after its first byte came, at most (and within
     * {@link #fallbackBuffer()}): an answer that has not ended by then streams on as it comes (a chunked or
     * {@code text/event-stream} answer reaches the client chunk by chunk), and a V2 failing after that is cut,
     * as any proxy must. A V2 failing before its first byte, or within the window, is still answered by V1.
     */
    @WithDefault("20ms")
    java.time.Duration replayWindow();

    /**
     * Deprecated: declare {@code routes} in the traffic policy instead (docs/policy.md). Path prefixes that migrate
     * while the policy declares no routes: the default stands for the reference API's route table
     * ({@link io.cutover.routing.RouteTable#REFERENCE}); see {@link io.cutover.routing.RouteTable#fromMigratingPaths}.
     */
    @WithDefault("/api/devices,/api/telemetry")
    List<String> migratingPaths();

    /**
     * Paths the router keeps for itself and never proxies, each with everything below it by whole segments
     * ({@code /admin} takes {@code /admin} and {@code /admin/status}, not {@code /administrators}).
     */
    @WithDefault("/q,/admin")
    List<String> ownPaths();

    /** Adds {@code X-Cutover-Backend: v1|v2} to answers, naming the backend that answered. */
    @WithDefault("true")
    boolean backendHeader();
}
