package io.cutover.rollback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code cutover.rollback.*}: how the guard and the shared latch work. The thresholds themselves
 * ({@code rollback.errorRate}, ...) are in the traffic policy, so that they reload live.
 */
@ConfigMapping(prefix = "cutover.rollback")
public interface RollbackConfig {

    /** {@value} */
    String DEFAULT_V1_MARGIN = "0.05";

    /**
     * V2's error rate must be shown (at {@code rollback.confidence}) above V1's plus this to trip the
     * latch, so that an outage of V1 (or of something both depend on) does not count against V2.
     */
    @WithDefault(DEFAULT_V1_MARGIN)
    double v1Margin();

    /** How often the guard weighs its evidence. */
    @WithDefault("250ms")
    Duration evaluateInterval();

    /**
     * How often every replica reads the shared latch row, as a safety net under LISTEN/NOTIFY (and
     * how often a change made while the database was down is retried).
     */
    @WithDefault("500ms")
    Duration pollInterval();
}
