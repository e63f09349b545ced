package io.cutover.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;

/**
 * One embedded PostgreSQL (zonky) per JVM, started on first use and stopped when the JVM exits.
 * Its port is kept in a system property so that a Quarkus application restarted in the same JVM
 * (tests with another profile, dev mode's live reload) finds the same server again.
 */
public final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    static final String PORT_PROPERTY = "cutover.embedded-postgres.port";
    public static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private EmbeddedPostgres() {
    }

    /**
     * Creates a database in the embedded server if it has none of that name (the reference
     * backends' V1 and V2 databases), starting the server if needed.
     *
     * @return the server's port
     */
    public static synchronized int createDatabaseIfAbsent(String name) {
        int port = port();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, USER, "");
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = c.createStatement()) {
                        create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
                    }
                }
            }
            return port;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " in the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** The port of the running embedded server, starting it if needed. */
    public static synchronized int port() {
        String known = System.getProperty(PORT_PROPERTY);
        if (known != null) {
            return Integer.parseInt(known);
        }
        try {
            long start = System.nanoTime();
            // zonky's default is synchronous_commit=off: a commit answered before its WAL is flushed, which a
            // killed server loses. The outbox's promise (an acknowledged write's intent is durable) needs it on.
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException e) {
                    // the JVM is going away
                }
            }, "embedded-postgres-stop"));
            System.setProperty(PORT_PROPERTY, Integer.toString(pg.getPort()));
            LOG.warnf("started an embedded PostgreSQL on port %d in %d ms (no datasource URL configured and cutover.database.embedded=true):"
                    + " the outbox and the rollback latch live in this process only; in production set QUARKUS_DATASOURCE_REACTIVE_URL and _JDBC_URL",
                    pg.getPort(), (System.nanoTime() - start) / 1_000_000);
            return pg.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL (cutover.database.embedded=true)", e);
        }
    }
}
