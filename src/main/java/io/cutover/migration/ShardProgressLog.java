package io.cutover.migration;

import io.cutover.migration.shard.Shard;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A recorded run's live progress, per shard, in {@value #TABLE} of the router's database (router migration V10),
 * for {@code GET /admin/status} and the status page. A router too old to have the table gets nothing recorded
 * (the run itself is still recorded in {@link RunLog#TABLE}).
 */
public final class ShardProgressLog {

    public static final String TABLE = "cutover_migration_shards";
    /** What a log without a record database (or without the table) does: nothing. */
    public static final ShardProgressLog NONE = new ShardProgressLog(null, null, null, Shard.WHOLE, Clock.systemUTC());

    private static final String UPSERT = "INSERT INTO " + TABLE + " (job, mapping, shard, shard_count, state,"
            + " table_name, rows_done, rows_total, rows_per_second, eta_seconds, rejected, note, started_at, updated_at)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
            + " ON CONFLICT (job, mapping, shard_count, shard) DO UPDATE SET state = EXCLUDED.state,"
            + " table_name = EXCLUDED.table_name, rows_done = EXCLUDED.rows_done, rows_total = EXCLUDED.rows_total,"
            + " rows_per_second = EXCLUDED.rows_per_second, eta_seconds = EXCLUDED.eta_seconds,"
            + " rejected = EXCLUDED.rejected, note = EXCLUDED.note, started_at = EXCLUDED.started_at,"
            + " updated_at = EXCLUDED.updated_at";

    /**
     * Where a shard stands.
     *
     * @param state      copying, paused, waiting, done, stopped or failed
     * @param etaSeconds null when unknown
     */
    public record Entry(String state, String table, long rowsDone, long rowsTotal, double rowsPerSecond,
                        Long etaSeconds, long rejected, String note) {
    }

    private final Pool pool;
    private final String job;
    private final String mapping;
    private final Shard shard;
    private final Clock clock;
    private final Instant started;

    private ShardProgressLog(Pool pool, String job, String mapping, Shard shard, Clock clock) {
        this.pool = pool;
        this.job = job;
        this.mapping = mapping;
        this.shard = shard;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** @param pool the record database, or null when the run is not recorded */
    public static ShardProgressLog open(Pool pool, String job, String mapping, Shard shard, Clock clock) {
        if (pool == null) {
            return NONE;
        }
        boolean exists = Await.result(pool.preparedQuery("SELECT to_regclass($1) IS NOT NULL").execute(Tuple.of(TABLE)))
                .iterator().next().getBoolean(0);
        return exists ? new ShardProgressLog(pool, job, mapping, shard, clock) : NONE;
    }

    public boolean recording() {
        return pool != null;
    }

    /** Upserts this shard's row; a failure to record never stops the job (the next save tries again). */
    public void save(Entry e) {
        if (pool == null) {
            return;
        }
        Tuple row = Tuple.of(job, mapping, shard.index(), shard.count(), e.state(), e.table())
                .addLong(e.rowsDone()).addLong(e.rowsTotal()).addDouble(e.rowsPerSecond()).addLong(e.etaSeconds())
                .addLong(e.rejected()).addString(e.note()).addOffsetDateTime(started.atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(clock.instant().atOffset(ZoneOffset.UTC));
        try {
            Await.result(pool.preparedQuery(UPSERT).execute(row));
        } catch (RuntimeException ignored) {
            // progress is best effort: the run's outcome is recorded by RunLog, which does fail loudly
        }
    }
}
