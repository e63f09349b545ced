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

    /** Path prefixes that follow the traffic policy; every other path goes to V1 alone. */
    @WithDefault("/api/devices,/api/telemetry")
    List<String> migratingPaths();

    /** Path prefixes the router keeps for itself and never proxies. */
    @WithDefault("/q/,/admin")
    List<String> ownPaths();

    /** Adds {@code X-Cutover-Backend: v1|v2} to answers, naming the backend that answered. */
    @WithDefault("true")
    boolean backendHeader();
}
