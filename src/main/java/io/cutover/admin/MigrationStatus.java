package io.cutover.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The last backfill and the last verify run recorded by the jobs ({@code --record-url}) in the router's database,
 * as {@code GET /admin/status} shows them under {@code migration}; that field is {@code null} when the router has
 * no database.
 *
 * @param backfill the last backfill run, or {@code null} when none was recorded
 * @param verify   the last verify run, or {@code null} when none was recorded
 * @param error    why the runs could not be read (then both are {@code null}), or {@code null}
 * @param shards   each shard's live progress, as the jobs record it (router migration V10), of the last day
 */
public record MigrationStatus(Run backfill, Run verify, String error, List<Shard> shards) {

    public MigrationStatus(Run backfill, Run verify, String error) {
        this(backfill, verify, error, List.of());
    }

    /**
     * One shard of a job run (shard 0 of 1 when it was not sharded), as it last reported.
     *
     * @param state         copying, paused (throttle query), waiting (for other shards), done, stopped, failed
     * @param etaSeconds    for the table being copied, null when unknown
     * @param rejected      rows V2 refused so far (set aside in cutover_backfill_rejects)
     */
    public record Shard(String job, String mapping, int shard, int shards, String state, String table, long rowsDone,
                        long rowsTotal, double rowsPerSecond, Long etaSeconds, long rejected, String note,
                        Instant startedAt, Instant updatedAt) {
    }

    /**
     * One recorded run.
     *
     * @param exitCode 0 done / equal, 1 verify found differences, 2 failed
     * @param summary  backfill: rows per table; verify: counts and differing rows per table, the first differing keys
     */
    public record Run(Instant startedAt, Instant finishedAt, int exitCode, JsonNode summary) {
    }
}
