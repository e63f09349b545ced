package io.cutover.policy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code cutover.traffic.*}: where the traffic policy file is and how often it is checked. */
@ConfigMapping(prefix = "cutover.traffic")
public interface PolicyConfig {

    /** The traffic policy file (YAML). Without it, {@link TrafficPolicy#DEFAULT} stays in force. */
    Optional<Path> file();

    /** How often the file is checked for a change (a new content, or a ConfigMap's symlink swap). */
    @WithDefault("1s")
    Duration pollInterval();
}
