package io.cutover.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Resolves the tenant of a request: the tenant header when it is configured as trusted, else the
 * tenant of the request's API key, else the default tenant. A client's tenant header is never
 * passed on unchecked: the proxy strips it and sets the resolved tenant towards V2.
 */
@Singleton
public class TenantResolver {

    private final String header;
    private final boolean headerTrusted;
    private final String apiKeyHeader;
    private final String defaultTenant;
    private final Map<String, String> tenantsByApiKey;
    private final boolean rejectUnknown;

    TenantResolver(TenantConfig config) {
        this.header = config.header();
        this.headerTrusted = config.headerTrusted();
        this.apiKeyHeader = config.apiKeyHeader();
        this.defaultTenant = config.defaultTenant();
        this.tenantsByApiKey = config.apiKeysFile().map(TenantResolver::loadApiKeys).orElse(Map.of());
        this.rejectUnknown = config.unknownKey() == TenantConfig.UnknownKey.REJECT;
        if (rejectUnknown && config.apiKeysFile().isEmpty() && !headerTrusted) {
            throw new IllegalStateException("cutover.tenant.unknown-key=reject refuses every request without a known"
                    + " tenant, but no tenant can be known (expected: cutover.tenant.api-keys-file set, or"
                    + " cutover.tenant.header-trusted=true)");
        }
    }

    /** The header that carries the API key. */
    public String apiKeyHeader() {
        return apiKeyHeader;
    }

    /** The tenant header's name. */
    public String header() {
        return header;
    }

    /**
     * @return the request's tenant; {@code null} when it has none (no trusted header, no known API key)
     *         and {@code cutover.tenant.unknown-key=reject}: the caller answers 401
     */
    public String resolve(MultiMap headers) {
        if (headerTrusted) {
            String t = headers.get(header);
            if (t != null && !t.isBlank()) {
                return t.trim();
            }
        }
        if (!tenantsByApiKey.isEmpty()) {
            String key = headers.get(apiKeyHeader);
            if (key != null) {
                String t = tenantsByApiKey.get(key.trim());
                if (t != null) {
                    return t;
                }
            }
        }
        return rejectUnknown ? null : defaultTenant;
    }

    static Map<String, String> loadApiKeys(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read cutover.tenant.api-keys-file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("cutover.tenant.api-keys-file " + file
                    + ": expected a YAML mapping of API key to tenant, e.g. 'k3y: acme'");
        }
        Map<String, String> map = new HashMap<>();
        root.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().asText().isBlank()) {
                throw new IllegalStateException("cutover.tenant.api-keys-file " + file + ": key '" + e.getKey()
                        + "' maps to " + e.getValue() + " (expected: a tenant id)");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return Map.copyOf(map);
    }
}
