package io.cutover.testing;

import io.cutover.database.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The router's PostgreSQL (the embedded one) reached through a {@link StallingRelay}: the router's
 * reactive pool (every query of the request path and of the outbox worker) goes through the relay;
 * Flyway's JDBC connection at start goes straight to the server.
 */
public class RelayedDatabase implements QuarkusTestResourceLifecycleManager {

    private static StallingRelay relay;

    public static StallingRelay relay() {
        return relay;
    }

    @Override
    public Map<String, String> start() {
        int port = EmbeddedPostgres.port();
        relay = new StallingRelay(port).start();
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + relay.port() + "/postgres",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "quarkus.datasource.username", EmbeddedPostgres.USER);
    }

    @Override
    public void stop() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }
}
