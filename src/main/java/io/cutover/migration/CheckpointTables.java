package io.cutover.migration;

import io.vertx.sqlclient.Pool;

/**
 * Creates the jobs' own tables in the checkpoint database ({@code CREATE TABLE IF NOT EXISTS}, as the checkpoints
 * always were) under a transaction-scoped advisory lock: shards starting at the same moment would otherwise race on
 * the catalog ({@code pg_type} unique violation) when the tables are new.
 */
public final class CheckpointTables {

    /** The advisory lock key the jobs' DDL is serialised on (arbitrary, fixed). */
    private static final long DDL_LOCK = 0x637574_6f766572L;

    private CheckpointTables() {
    }

    public static void create(Pool db, String... statements) {
        Await.result(db.withTransaction(conn -> {
            var chain = conn.query("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")").execute().<Void>mapEmpty();
            for (String statement : statements) {
                chain = chain.compose(v -> conn.query(statement).execute().mapEmpty());
            }
            return chain;
        }));
    }
}
