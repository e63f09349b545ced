package io.cutover.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code cutover.access-log.*}: the JSON line written per proxied request (docs/operations.md, "Observability"). */
@ConfigMapping(prefix = "cutover.access-log")
public interface AccessLogConfig {

    /** One JSON line per proxied request, in the log category {@value AccessLog#CATEGORY} (stdout by default). */
    @WithDefault("true")
    boolean enabled();

    /**
     * The share of requests logged, from 0 to 1 ({@value AccessLog#DEFAULT_SAMPLE}: all). Answers of 500 and above
     * and fallbacks to V1 are always logged.
     */
    @WithDefault(AccessLog.DEFAULT_SAMPLE)
    double sample();

    /** How the tenant appears: {@code plain}, {@code hash} (first 16 hex digits of its SHA-256) or {@code none}. */
    @WithDefault("plain")
    TenantForm tenant();

    /**
     * Lines waiting for the writer thread at most ({@value AccessLog#DEFAULT_QUEUE}); beyond, a line is dropped and
     * counted ({@code cutover_access_log_dropped_total}), never waited for on the event loop.
     */
    @WithDefault(AccessLog.DEFAULT_QUEUE)
    int queueSize();

    enum TenantForm { PLAIN, HASH, NONE }
}
