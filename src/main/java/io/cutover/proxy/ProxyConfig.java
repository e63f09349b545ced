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
     */
    @WithDefault("1M")
    MemorySize fallbackBuffer();

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
