package io.cutover.database;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The router's own PostgreSQL ({@code quarkus.datasource.*}): the reactive pool for queries, and
 * the same server's connect options for a dedicated connection (LISTEN). Its schema is Flyway's
 * ({@code src/main/resources/db/migration}), migrated at start.
 */
@ApplicationScoped
public class RouterDatabase {

    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private final Instance<Pool> pools;

    RouterDatabase(@ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
                   @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                   @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
                   Instance<Pool> pools) {
        this.url = url.filter(u -> !u.isBlank());
        this.username = username;
        this.password = password;
        this.pools = pools;
    }

    /** Whether a database is configured (or embedded) at all. */
    public boolean configured() {
        return url.isPresent();
    }

    public Pool pool() {
        return pools.get();
    }

    /** Options for a connection of its own to the same server as the pool (the first URL of a list). */
    public PgConnectOptions connectOptions() {
        String first = url.orElseThrow(() -> new IllegalStateException("no quarkus.datasource.reactive.url")).split(",")[0].trim();
        PgConnectOptions options = PgConnectOptions.fromUri(first);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }
}
