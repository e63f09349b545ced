package io.cutover.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.util.Optional;

/** {@code cutover.tenant.*}: where a request's tenant comes from. */
@ConfigMapping(prefix = "cutover.tenant")
public interface TenantConfig {

    /** The tenant header: read from clients only when trusted, always set towards V2. */
    @WithDefault("X-Tenant-Id")
    String header();

    /** Whether the client's tenant header is believed (an authenticating gateway sets it). */
    @WithDefault("false")
    boolean headerTrusted();

    /** A YAML map of API key to tenant (a mounted Secret). */
    Optional<Path> apiKeysFile();

    /** The header that carries the API key. */
    @WithDefault("X-Api-Key")
    String apiKeyHeader();

    /**
     * A request with no API key, or a key not in {@code api-keys-file} (and no trusted tenant header):
     * {@code default} serves it as the default tenant (V1's legacy clients), {@code reject} answers 401.
     */
    @WithDefault("default")
    UnknownKey unknownKey();

    /** What a request without a known tenant gets. */
    enum UnknownKey {
        /** Served as {@code cutover.tenant.default}. */
        DEFAULT,
        /** 401, no backend sees it. */
        REJECT
    }

    /** The tenant that all V1 clients belong to. */
    @WithName("default")
    @WithDefault("default_tenant_id")
    String defaultTenant();
}
