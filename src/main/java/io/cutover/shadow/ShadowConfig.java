package io.cutover.shadow;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** {@code cutover.shadow.*}: how shadow reads are compared, bounded and kept. The rate is the policy's {@code shadowReads}. */
@ConfigMapping(prefix = "cutover.shadow")
public interface ShadowConfig {

    /** Precision at which ISO-8601 timestamps are compared. */
    enum Precision { SECONDS, MILLIS, MICROS, NANOS }

    /**
     * JSON paths left out of the comparison: {@code $.a.b}, {@code $[*].a}, {@code $.items[0]},
     * {@code $..a} (at any depth). V2 adds {@code tenantId} to every object.
     */
    @WithDefault("$..tenantId")
    List<String> ignoredPaths();

    @WithDefault("millis")
    Precision timestampPrecision();

    /** Shadow comparisons in flight at once (each is two backend calls); beyond it a sampled read is dropped and counted. */
    @WithDefault("64")
    int maxInFlight();

    /** Largest answer compared; a larger one (of any of the three calls) is skipped and counted. */
    @WithDefault("256K")
    MemorySize maxBody();

    /** How many of the last differences are kept (in the router's database, else in memory). */
    @WithDefault("100")
    int keepLast();

    /** Distinct tenants used as a metric tag; later tenants are tagged {@code other}. */
    @WithDefault("100")
    int maxTenantTags();
}
