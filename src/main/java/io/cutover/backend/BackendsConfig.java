package io.cutover.backend;

import io.cutover.routing.Backend;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** {@code cutover.backends.v1.*} and {@code cutover.backends.v2.*}: where the backends are and how to call them. */
@ConfigMapping(prefix = "cutover.backends")
public interface BackendsConfig {

    BackendConfig v1();

    BackendConfig v2();

    default BackendConfig of(Backend backend) {
        return backend == Backend.V1 ? v1() : v2();
    }

    interface BackendConfig {
        /** Base URL, e.g. {@code http://v1.internal:8080}; its path, if any, prefixes every request. */
        URI url();

        /** Time to get a connection (including waiting for a free one in the pool). */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Longest silence while waiting for the answer or between two of its chunks. */
        @WithDefault("10s")
        Duration responseTimeout();

        /** Pooled connections per event loop. */
        @WithDefault("64")
        int maxConnections();

        /** A pooled connection that moved no byte for this long is closed (vertx-http-proxy issue 117). */
        @WithDefault("60s")
        Duration idleTimeout();

        Breaker breaker();
    }

    /** The backend's circuit breaker (SmallRye Fault Tolerance). */
    interface Breaker {
        /** {@value} */
        String DEFAULT_WINDOW = "10s";

        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("20")
        int requestVolume();

        /** Failure ratio of that window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before half-open probes. */
        @WithDefault("5s")
        Duration delay();

        /** Successful probes that close it again. */
        @WithDefault("2")
        int successThreshold();

        /**
         * The age beyond which a call no longer counts towards opening the breaker: SmallRye's
         * window counts calls, so the router starts it afresh once its oldest call is this old
         * ({@link io.cutover.resilience.BackendBreakers}). Must be positive.
         */
        @WithDefault(DEFAULT_WINDOW)
        Duration window();
    }
}
