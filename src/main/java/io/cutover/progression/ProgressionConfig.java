package io.cutover.progression;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code cutover.progression.*}: how the replicas share the progression. The steps are in the traffic policy. */
@ConfigMapping(prefix = "cutover.progression")
public interface ProgressionConfig {

    /** How often every replica reads the shared progression row, as a safety net under LISTEN/NOTIFY. */
    @WithDefault("500ms")
    Duration pollInterval();

    /**
     * A hold (a window not healthy) is written to the shared row at most this often while it lasts; the
     * replica that saw it keeps the exact time, so its own interval restarts exactly.
     */
    @WithDefault("1s")
    Duration holdResolution();
}
