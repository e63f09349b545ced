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
    private final java.util.Set<String> testerKeys;
    private final boolean rejectUnknown;

    TenantResolver(TenantConfig config) {
        this.header = config.header();
        this.headerTrusted = config.headerTrusted();
        this.apiKeyHeader = config.apiKeyHeader();
        this.defaultTenant = config.defaultTenant();
        java.util.Set<String> testers = new java.util.HashSet<>();
        this.tenantsByApiKey = config.apiKeysFile().map(f -> loadApiKeys(f, testers)).orElse(Map.of());
        this.testerKeys = java.util.Set.copyOf(testers);
        this.rejectUnknown = config.unknownKey() == TenantConfig.UnknownKey.REJECT;
        if (rejectUnknown && config.apiKeysFile().isEmpty() && !headerTrusted) {
            throw new IllegalStateException("cutover.tenant.unknown-key=reject refuses every request without a known"
                    + " tenant, but no tenant can be known (expected: cutover.tenant.api-keys-file set, or"
                    + " cutover.tenant.header-trusted=true)");
        }
    }

    /** Whether the request carries an API key marked {@code tester: true} in the key file. */
    public boolean isTesterKey(MultiMap headers) {
        if (testerKeys.isEmpty()) {
            return false;
        }
        String key = headers.get(apiKeyHeader);
        return key != null && testerKeys.contains(key.trim());
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
        return loadApiKeys(file, new java.util.HashSet<>());
    }

    /**
     * {@code key: tenant}, or {@code key: {tenant: qa, tester: true}} for a key whose requests may choose their
     * backend with the override header ({@code cutover.routing.override-header}); those keys go into {@code testers}.
     */
    static Map<String, String> loadApiKeys(Path file, java.util.Set<String> testers) {
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
            JsonNode v = e.getValue();
            if (v.isObject()) {
                JsonNode tenant = v.get("tenant");
                JsonNode tester = v.get("tester");
                if (tenant == null || !tenant.isValueNode() || tenant.asText().isBlank()
                        || (tester != null && !tester.isBoolean())) {
                    throw new IllegalStateException("cutover.tenant.api-keys-file " + file + ": key '" + e.getKey()
                            + "' maps to " + v + " (expected: a tenant id, or {tenant: <id>, tester: true|false})");
                }
                if (tester != null && tester.asBoolean()) {
                    testers.add(e.getKey());
                }
                map.put(e.getKey(), tenant.asText());
                return;
            }
            if (!e.getValue().isValueNode() || e.getValue().asText().isBlank()) {
                throw new IllegalStateException("cutover.tenant.api-keys-file " + file + ": key '" + e.getKey()
                        + "' maps to " + e.getValue() + " (expected: a tenant id)");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return Map.copyOf(map);
    }
}
