package io.cutover.database;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the router's datasource at an embedded PostgreSQL when {@code cutover.database.embedded}
 * is true (the {@code dev} and {@code test} profiles) and no datasource URL is configured: a
 * configured {@code quarkus.datasource.reactive.url} or {@code quarkus.datasource.jdbc.url}
 * always wins. The server starts only when the URL is first asked for.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String ENABLED = "cutover.database.embedded";
    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isTrue(context.getValue(ENABLED)) || isSet(context.getValue(REACTIVE_URL)) || isSet(context.getValue(JDBC_URL))) {
            return java.util.List.of();
        }
        return java.util.List.of(new LazySource());
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean isTrue(ConfigValue v) {
        return v != null && v.getValue() != null && Boolean.parseBoolean(v.getValue().trim());
    }

    private static boolean isSet(ConfigValue v) {
        return v != null && v.getValue() != null && !v.getValue().isBlank();
    }

    /** Below application.yml (ordinal 50): anything configured elsewhere wins. */
    static final class LazySource implements ConfigSource {

        private static final Set<String> NAMES = Set.of(REACTIVE_URL, JDBC_URL, USERNAME);

        @Override
        public Set<String> getPropertyNames() {
            return NAMES;
        }

        @Override
        public Map<String, String> getProperties() {
            Map<String, String> all = new java.util.HashMap<>();
            for (String n : NAMES) {
                all.put(n, getValue(n));
            }
            return all;
        }

        @Override
        public String getValue(String name) {
            return switch (name) {
                case REACTIVE_URL -> "postgresql://127.0.0.1:" + EmbeddedPostgres.port() + "/" + EmbeddedPostgres.DATABASE;
                case JDBC_URL -> "jdbc:postgresql://127.0.0.1:" + EmbeddedPostgres.port() + "/" + EmbeddedPostgres.DATABASE;
                case USERNAME -> EmbeddedPostgres.USER;
                default -> null;
            };
        }

        @Override
        public int getOrdinal() {
            return 50;
        }

        @Override
        public String getName() {
            return "cutover-embedded-postgresql";
        }
    }
}
