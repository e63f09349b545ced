package io.cutover.history;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code cutover.history.*}: the per-replica ring of per-interval figures behind the status page's curves
 * ({@code GET /admin/history}).
 */
@ConfigMapping(prefix = "cutover.history")
public interface HistoryConfig {

    /** {@value} */
    String DEFAULT_INTERVAL = "10s";
    /** {@value} */
    String DEFAULT_SPAN = "1h";

    /** The width of one point of the curves: the figures are summed over it. At least 1s. */
    @WithDefault(DEFAULT_INTERVAL)
    Duration interval();

    /** How far back the ring reaches (span / interval points, at most {@value HistoryRing#MAX_POINTS}). */
    @WithDefault(DEFAULT_SPAN)
    Duration span();

    /** The name this replica gives itself on the page; default: its host name (the pod's name on Kubernetes). */
    Optional<String> replica();
}
