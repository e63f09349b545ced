package io.cutover.demo;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    static Uni<Void> apply(Flavor flavor, Pool pool) {
        String own = OWN_TABLES + (flavor == Flavor.V2 ? V2_SEQUENCE : "");
        return pool.query("SELECT to_regclass('public.devices') IS NOT NULL").execute()
                .map(rows -> rows.iterator().next().getBoolean(0))
                .chain(present -> {
                    if (present) {
                        return pool.query(own).execute();
                    }
                    LOG.infof("reference backend %s: applying %s", flavor, flavor.schema());
                    return pool.query(resource(flavor.schema()) + ";\n" + own).execute();
                })
                .replaceWithVoid();
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
