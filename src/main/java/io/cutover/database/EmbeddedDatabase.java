package io.cutover.database;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The router's own PostgreSQL when none is configured: with {@code cutover.database.embedded=true}
 * (the default of dev mode, the demo and the tests) and no {@code quarkus.datasource.reactive.url}
 * nor {@code jdbc.url}, an embedded PostgreSQL (zonky) is started once per JVM and the datasource
 * is pointed at it. A configured URL always wins; in production nothing is started.
 */
public final class EmbeddedDatabase implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /** Below application.yml (250) and everything a user sets, above nothing that matters. */
    private static final int ORDINAL = 200;

    private static EmbeddedPostgres server;

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isTrue(context.getValue("cutover.database.embedded"))
                || isSet(context.getValue("quarkus.datasource.reactive.url"))
                || isSet(context.getValue("quarkus.datasource.jdbc.url"))) {
            return List.of();
        }
        int port = start();
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "cutover-embedded-postgresql", ORDINAL));
    }

    /** Starts the JVM's embedded server on first use; returns its port. */
    public static synchronized int start() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL (set quarkus.datasource.reactive.url"
                        + " and quarkus.datasource.jdbc.url to use another): " + e.getMessage(), e);
            }
            LOG.infof("embedded PostgreSQL for the router's own data on 127.0.0.1:%d (cutover.database.embedded=true)",
                    server.getPort());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the process is ending
                }
            }, "cutover-embedded-postgresql-stop"));
        }
        return server.getPort();
    }

    private static boolean isTrue(ConfigValue v) {
        return v != null && v.getValue() != null && Boolean.parseBoolean(v.getValue().trim());
    }

    private static boolean isSet(ConfigValue v) {
        return v != null && v.getValue() != null && !v.getValue().isBlank();
    }
}
