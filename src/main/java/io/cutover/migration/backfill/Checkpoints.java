package io.cutover.migration.backfill;

import io.cutover.migration.Await;
import io.cutover.migration.CheckpointTables;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;

/**
 * Per mapping and table, the last key copied, in table {@value #TABLE} of the checkpoint database
 * (by default the target database, so that a batch and its checkpoint commit in one transaction).
 * A finished run deletes its checkpoints: the next run is a full (idempotent) pass, a killed one resumes.
 */
final class Checkpoints {

    static final String TABLE = "cutover_backfill_checkpoint";

    /** Where a table stands: the last key copied and the rows copied so far. */
    record Checkpoint(String lastKey, long rows) {
        static final Checkpoint START = new Checkpoint(null, 0);
    }

    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "mapping TEXT NOT NULL, table_name TEXT NOT NULL, last_key TEXT NOT NULL, rows_copied BIGINT NOT NULL, "
            + "updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (mapping, table_name))";
    private static final String SAVE = "INSERT INTO " + TABLE + " (mapping, table_name, last_key, rows_copied) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT (mapping, table_name) DO UPDATE "
            + "SET last_key = EXCLUDED.last_key, rows_copied = EXCLUDED.rows_copied, updated_at = now()";

    private final Pool db;
    private final String mapping;

    Checkpoints(Pool db, String mapping) {
        this.db = db;
        this.mapping = mapping;
    }

    void ensureTable() {
        CheckpointTables.create(db, CREATE);
    }

    Map<String, Checkpoint> load() {
        Map<String, Checkpoint> result = new HashMap<>();
        for (Row row : Await.result(db.preparedQuery("SELECT table_name, last_key, rows_copied FROM " + TABLE
                + " WHERE mapping = $1").execute(Tuple.of(mapping)))) {
            result.put(row.getString(0), new Checkpoint(row.getString(1), row.getLong(2)));
        }
        return result;
    }

    void clear() {
        Await.result(db.preparedQuery("DELETE FROM " + TABLE + " WHERE mapping = $1").execute(Tuple.of(mapping)));
    }

    /** Saves through {@code client}: the batch's own connection, or the checkpoint pool. */
    Future<Void> save(SqlClient client, String table, Checkpoint checkpoint) {
        return client.preparedQuery(SAVE).execute(Tuple.of(mapping, table, checkpoint.lastKey(), checkpoint.rows()))
                .mapEmpty();
    }

    Pool db() {
        return db;
    }
}
