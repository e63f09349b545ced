package io.cutover.override;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code cutover.routing.*}: the testers' override of the routing decision. */
@ConfigMapping(prefix = "cutover.routing")
public interface OverrideConfig {

    /**
     * The header ({@code X-Cutover-Route: v1|v2}) that sends a tester's request to the named side whatever the
     * weight; unset: no override. Trusted only from API keys marked {@code tester: true} and the policy's
     * {@code testers}; anyone else's is stripped (and counted).
     */
    Optional<String> overrideHeader();
}
