package io.cutover.demo;

import io.cutover.database.EmbeddedPostgres;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the reference backends' datasources ({@code quarkus.datasource.ref-v1.*},
 * {@code ref-v2.*}) at two databases of the embedded PostgreSQL ({@code cutover_ref_v1},
 * {@code cutover_ref_v2}, created with their schema if absent) in the dev and test profiles when
 * {@code cutover.database.embedded} is true and no URL of theirs is configured. A configured URL
 * wins. The databases are created when a URL is first asked for.
 */
public class ReferenceDatabasesConfigSourceFactory implements ConfigSourceFactory {

    static final String EMBEDDED = "cutover.database.embedded";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean devOrTest = context.getProfiles().contains("dev") || context.getProfiles().contains("test");
        ConfigValue embedded = context.getValue(EMBEDDED);
        if (!devOrTest || embedded == null || !"true".equalsIgnoreCase(String.valueOf(embedded.getValue()).trim())) {
            return List.of();
        }
        Map<String, Flavor> urls = new HashMap<>();
        Map<String, String> users = new HashMap<>();
        for (Flavor flavor : Flavor.values()) {
            ConfigValue configured = context.getValue(urlKey(flavor));
            if (configured == null || configured.getValue() == null || configured.getValue().isBlank()) {
                urls.put(urlKey(flavor), flavor);
                users.put("quarkus.datasource." + flavor.datasource() + ".username", EmbeddedPostgres.USER);
            }
        }
        return urls.isEmpty() ? List.of() : List.of(new LazySource(urls, users));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    static String urlKey(Flavor flavor) {
        return "quarkus.datasource." + flavor.datasource() + ".reactive.url";
    }

    /** Below application.yml (ordinal 50): anything configured elsewhere wins. */
    private static final class LazySource implements ConfigSource {

        private final Map<String, Flavor> urls;
        private final Map<String, String> users;
        private final Map<Flavor, String> created = new java.util.concurrent.ConcurrentHashMap<>();

        LazySource(Map<String, Flavor> urls, Map<String, String> users) {
            this.urls = urls;
            this.users = users;
        }

        @Override
        public Set<String> getPropertyNames() {
            Set<String> names = new java.util.HashSet<>(urls.keySet());
            names.addAll(users.keySet());
            return names;
        }

        @Override
        public String getValue(String name) {
            Flavor flavor = urls.get(name);
            if (flavor != null) {
                return created.computeIfAbsent(flavor, f -> {
                    String url = "postgresql://127.0.0.1:" + EmbeddedPostgres.createDatabaseIfAbsent(f.embeddedDatabase())
                            + "/" + f.embeddedDatabase();
                    // the tables exist with the database, whether or not the backends start (a test may query them)
                    Schemas.apply(f, "jdbc:" + url, EmbeddedPostgres.USER, null);
                    return url;
                });
            }
            return users.get(name);
        }

        @Override
        public int getOrdinal() {
            return 50;
        }

        @Override
        public String getName() {
            return "cutover-reference-databases";
        }
    }
}
