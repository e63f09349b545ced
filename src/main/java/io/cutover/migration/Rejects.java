package io.cutover.migration;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows V2 refused, set aside by the backfill in {@value #TABLE} of the checkpoint database: per mapping, table
 * and key, the V1 row as JSON, V2's error and the run that last tried it. A later backfill tries them again and
 * deletes the ones that go in; verify reports them apart from the rows that are simply missing.
 */
public final class Rejects {

    public static final String TABLE = "cutover_backfill_rejects";

    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "mapping TEXT NOT NULL, table_name TEXT NOT NULL, key TEXT NOT NULL, v1_row JSONB, error TEXT NOT NULL, "
            + "sqlstate TEXT, run TEXT NOT NULL, attempts INT NOT NULL DEFAULT 1, "
            + "first_rejected_at TIMESTAMPTZ NOT NULL DEFAULT now(), rejected_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
            + "PRIMARY KEY (mapping, table_name, key))";
    private static final String UPSERT = "INSERT INTO " + TABLE
            + " (mapping, table_name, key, v1_row, error, sqlstate, run) VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7)"
            + " ON CONFLICT (mapping, table_name, key) DO UPDATE SET v1_row = EXCLUDED.v1_row, error = EXCLUDED.error,"
            + " sqlstate = EXCLUDED.sqlstate, run = EXCLUDED.run, attempts = " + TABLE + ".attempts + 1,"
            + " rejected_at = now()";

    /**
     * One refused row.
     *
     * @param v1Row    the V1 row as JSON ({@code row_to_json}), null when it could not be read
     * @param sqlState V2's SQLSTATE (23514 check violation, 23502 not null, 23503 foreign key, 22P02 bad input...)
     */
    public record Reject(String table, String key, String v1Row, String error, String sqlState) {
    }

    private final Pool db;
    private final String mapping;

    /** @param mapping the mapping's name (with its tenant, without the shard: a row's reject is the same for all) */
    public Rejects(Pool db, String mapping) {
        this.db = db;
        this.mapping = mapping;
    }

    public void ensureTable() {
        CheckpointTables.create(db, CREATE);
    }

    public Future<Void> record(List<Reject> rejects, String run) {
        if (rejects.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = rejects.stream().map(r -> Tuple.of(mapping, r.table(), r.key(), r.v1Row(), r.error(),
                r.sqlState(), run)).toList();
        return db.preparedQuery(UPSERT).executeBatch(rows).mapEmpty();
    }

    /** Keys of the table's rows set aside so far. */
    public List<String> keys(String table) {
        List<String> keys = new ArrayList<>();
        for (Row row : Await.result(db.preparedQuery("SELECT key FROM " + TABLE
                + " WHERE mapping = $1 AND table_name = $2 ORDER BY key").execute(Tuple.of(mapping, table)))) {
            keys.add(row.getString(0));
        }
        return keys;
    }

    /** Deletes these keys' rejects: they went in (or are gone from V1). */
    public Future<Void> clear(String table, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Future.succeededFuture();
        }
        return db.preparedQuery("DELETE FROM " + TABLE + " WHERE mapping = $1 AND table_name = $2 AND key = ANY($3)")
                .execute(Tuple.of(mapping, table).addArrayOfString(keys.toArray(String[]::new))).mapEmpty();
    }

    /**
     * Every reject of the mapping, by table and key, reading only: none when the table does not exist (no backfill
     * kept its rejects in this database).
     */
    public Map<String, Map<String, Reject>> all() {
        Map<String, Map<String, Reject>> result = new LinkedHashMap<>();
        boolean exists = Await.result(db.preparedQuery("SELECT to_regclass($1) IS NOT NULL").execute(Tuple.of(TABLE)))
                .iterator().next().getBoolean(0);
        if (!exists) {
            return result;
        }
        for (Row row : Await.result(db.preparedQuery("SELECT table_name, key, v1_row::text, error, sqlstate FROM "
                + TABLE + " WHERE mapping = $1 ORDER BY table_name, key").execute(Tuple.of(mapping)))) {
            result.computeIfAbsent(row.getString(0), t -> new LinkedHashMap<>()).put(row.getString(1),
                    new Reject(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4)));
        }
        return result;
    }
}
