package io.cutover.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records one row per job run in {@value #TABLE} of the router's database (--record-url), for
 * {@code GET /admin/status}. The table is the router's (Flyway, migrated at its start): a job never creates it,
 * and refuses to start (exit 2) when it is missing.
 */
public final class RunLog {

    public static final String TABLE = "cutover_migration_runs";
    /** Differing keys kept in a verify run's summary. */
    public static final int FIRST_DIFFERENCES = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (job, started_at, finished_at, exit_code, summary) VALUES ($1, $2, $3, $4, $5)";
    /** A run scoped to one tenant: its column came with the per-tenant migration state (router migration V5). */
    private static final String INSERT_FOR_TENANT = "INSERT INTO " + TABLE
            + " (job, started_at, finished_at, exit_code, summary, tenant) VALUES ($1, $2, $3, $4, $5, $6)";

    /** What a job's run leaves: its exit code and a summary (JSON-serializable). */
    public record Outcome(int exitCode, Map<String, Object> summary) {
    }

    private final Pool pool;
    private final String job;
    private final Clock clock;
    private final String tenant;
    private final Instant started;

    private RunLog(Pool pool, String job, String tenant, Clock clock) {
        this.pool = pool;
        this.job = job;
        this.tenant = tenant;
        this.clock = clock;
        this.started = clock.instant();
    }

    /**
     * Starts the record of a run; checks first that the record database has the table.
     *
     * @param pool null when runs are not recorded
     */
    public static RunLog start(Pool pool, Endpoint endpoint, String job, Clock clock) {
        return start(pool, endpoint, job, null, clock);
    }

    /**
     * Starts the record of a run about one tenant ({@code --tenant}; {@code null} for a run over everything).
     *
     * @param pool null when runs are not recorded
     */
    public static RunLog start(Pool pool, Endpoint endpoint, String job, String tenant, Clock clock) {
        if (pool != null && tenant != null) {
            boolean hasTenant = Await.result(pool.preparedQuery("SELECT count(*) FROM information_schema.columns"
                    + " WHERE table_name = $1 AND column_name = 'tenant'").execute(Tuple.of(TABLE))).iterator().next()
                    .getLong(0) > 0;
            if (!hasTenant) {
                throw new JobFailure(JobFailure.UNUSABLE, endpoint.describe() + ": " + TABLE + " has no column tenant:"
                        + " the router must be of a version with per-tenant migration state (it adds the column at start)");
            }
        }
        if (pool != null) {
            boolean exists = Await.result(pool.preparedQuery("SELECT to_regclass($1) IS NOT NULL")
                    .execute(Tuple.of(TABLE))).iterator().next().getBoolean(0);
            if (!exists) {
                throw new JobFailure(JobFailure.UNUSABLE, endpoint.describe() + " has no table " + TABLE
                        + ": --record-url must name the router's own database, and the router must have started once"
                        + " against it (it creates the table at start)");
            }
        }
        return new RunLog(pool, job, tenant, clock);
    }

    /**
     * Runs the job and records its outcome; a failure (JobFailure or other) is recorded with exit code 2 and its
     * message, then rethrown.
     */
    public int run(java.util.function.Supplier<Outcome> job) {
        Outcome outcome;
        try {
            outcome = job.get();
        } catch (RuntimeException e) {
            int code = e instanceof JobFailure f ? f.exitCode() : JobFailure.UNUSABLE;
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("error", String.valueOf(e.getMessage()));
            try {
                record(new Outcome(code, summary));
            } catch (RuntimeException recording) {
                e.addSuppressed(recording);
            }
            throw e;
        }
        try {
            record(outcome);
        } catch (RuntimeException e) {
            throw new JobFailure(JobFailure.UNUSABLE, "the run (exit code " + outcome.exitCode()
                    + ") could not be recorded in " + TABLE + ": " + e.getMessage(), e);
        }
        return outcome.exitCode();
    }

    private void record(Outcome outcome) {
        if (pool == null) {
            return;
        }
        String summary;
        Map<String, Object> scoped = outcome.summary();
        if (tenant != null) {
            scoped = new LinkedHashMap<>(outcome.summary());
            scoped.put("tenant", tenant);
        }
        try {
            summary = JSON.writeValueAsString(scoped);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Tuple row = Tuple.of(job, started.atOffset(ZoneOffset.UTC), clock.instant().atOffset(ZoneOffset.UTC),
                outcome.exitCode(), new JsonObject(summary));
        Await.result(pool.preparedQuery(tenant == null ? INSERT : INSERT_FOR_TENANT)
                .execute(tenant == null ? row : row.addString(tenant)));
    }
}
