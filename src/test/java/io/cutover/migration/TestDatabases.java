package io.cutover.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh V1 and V2 database, built from the reference {@code v1.sql} and {@code v2.sql}, in one embedded
 * PostgreSQL shared by the tests of this JVM.
 */
public final class TestDatabases implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedPostgres postgres;

    public final Endpoint v1;
    public final Endpoint v2;
    public final Databases dbs;

    private TestDatabases(Endpoint v1, Endpoint v2) {
        this.v1 = v1;
        this.v2 = v2;
        this.dbs = Databases.open(v1, v2, null, 4);
    }

    public static synchronized TestDatabases create() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
        int n = COUNTER.incrementAndGet();
        Endpoint admin = endpoint("admin", "postgres");
        Endpoint v1 = endpoint("v1", "v1_" + n);
        Endpoint v2 = endpoint("v2", "v2_" + n);
        try (Databases a = Databases.open(admin, admin, null, 1)) {
            Await.result(a.source().query("CREATE DATABASE v1_" + n).execute());
            Await.result(a.source().query("CREATE DATABASE v2_" + n).execute());
        }
        TestDatabases t = new TestDatabases(v1, v2);
        t.v1(resource("/reference/v1.sql"));
        t.v2(resource("/reference/v2.sql"));
        return t;
    }

    /**
     * A fresh database standing for the router's own, with the router's Flyway migrations applied when asked
     * ({@code db/migration/V*.sql}, as the router does at start).
     */
    public static Endpoint routerDatabase(boolean migrated) {
        String name = "router_" + COUNTER.incrementAndGet();
        Endpoint admin = endpoint("admin", "postgres");
        Endpoint router = endpoint("record", name);
        try (Databases a = Databases.open(admin, admin, null, 1)) {
            Await.result(a.source().query("CREATE DATABASE " + name).execute());
        }
        if (migrated) {
            try (Databases r = Databases.open(router, router, null, 1)) {
                for (String migration : new String[] {"V1__rollback_latch.sql", "V2__outbox.sql", "V3__migration_runs.sql",
                        "V5__tenant_migration.sql", "V10__migration_shards.sql"}) {
                    run(r.target(), resource("/db/migration/" + migration));
                }
            }
        }
        return router;
    }

    public static Endpoint endpoint(String label, String database) {
        return new Endpoint(label, "postgresql://localhost:" + postgres.getPort() + "/" + database, "postgres", null);
    }

    public List<Row> v1(String sql) {
        return run(dbs.source(), sql);
    }

    public List<Row> v2(String sql) {
        return run(dbs.target(), sql);
    }

    private static List<Row> run(Pool pool, String sql) {
        List<Row> rows = new ArrayList<>();
        Await.result(pool.query(sql).execute()).forEach(rows::add);
        return rows;
    }

    /** Every row of a table as JSON objects (row_to_json, UTC timestamps), by id as text. */
    public static Map<String, Map<String, Object>> rowsById(Pool pool, String table) {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (Row row : run(pool, "SELECT t.id::text, row_to_json(t)::text FROM " + table + " t ORDER BY t.id")) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = JSON.readValue(row.getString(1), Map.class);
                rows.put(row.getString(0), map);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return rows;
    }

    public static long count(Pool pool, String sql) {
        return run(pool, sql).get(0).getLong(0);
    }

    private static String resource(String name) {
        try (InputStream in = TestDatabases.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        dbs.close();
    }
}
