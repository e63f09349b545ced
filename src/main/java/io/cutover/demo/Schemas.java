package io.cutover.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.logging.Logger;

/**
 * Applies the reference schema ({@code reference/v1.sql}, {@code v2.sql}) to a backend's database
 * when its tables are absent, and the backends' own objects (the Idempotency-Key table; on V2 the
 * sequence of generated telemetry ids) when those are.
 */
final class Schemas {

    private static final Logger LOG = Logger.getLogger(Schemas.class);

    private static final String OWN_TABLES = """
            CREATE TABLE IF NOT EXISTS cutover_ref_idempotency (
              scope           TEXT        NOT NULL,
              idempotency_key TEXT        NOT NULL,
              status          INT         NOT NULL,
              body            TEXT,
              created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
              PRIMARY KEY (scope, idempotency_key)
            );
            """;
    private static final String V2_SEQUENCE =
            "CREATE SEQUENCE IF NOT EXISTS cutover_ref_telemetry_id_seq START WITH " + V2Store.FIRST_GENERATED_READING_ID + ";";

    private Schemas() {
    }

    /**
     * Applies what is absent, over JDBC (when an embedded database is created, and at the
     * backends' start).
     */
    static void apply(Flavor flavor, String jdbcUrl, String username, String password) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, username, password == null ? "" : password);
             Statement statement = c.createStatement()) {
            boolean present;
            try (ResultSet rs = statement.executeQuery("SELECT to_regclass('public.devices') IS NOT NULL")) {
                present = rs.next() && rs.getBoolean(1);
            }
            if (!present) {
                LOG.infof("reference backend %s: applying %s to %s", flavor, flavor.schema(), jdbcUrl);
                statement.execute(resource(flavor.schema()));
            }
            statement.execute(OWN_TABLES + (flavor == Flavor.V2 ? V2_SEQUENCE : ""));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply the reference schema of " + flavor + " to " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Schemas.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
