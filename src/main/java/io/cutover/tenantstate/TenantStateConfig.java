package io.cutover.tenantstate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code cutover.tenant-state.*}: how each replica keeps its copy of the tenants' migration states. */
@ConfigMapping(prefix = "cutover.tenant-state")
public interface TenantStateConfig {

    /** {@value} */
    String DEFAULT_POLL_INTERVAL = "1s";

    /** How often the states and last verify runs are re-read, besides on NOTIFY cutover_tenants. */
    @WithDefault(DEFAULT_POLL_INTERVAL)
    Duration pollInterval();
}
