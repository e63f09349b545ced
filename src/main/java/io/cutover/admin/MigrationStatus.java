package io.cutover.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The last backfill and the last verify run recorded by the jobs ({@code --record-url}) in the router's database,
 * as {@code GET /admin/status} shows them under {@code migration}; that field is {@code null} when the router has
 * no database.
 *
 * @param backfill the last backfill run, or {@code null} when none was recorded
 * @param verify   the last verify run, or {@code null} when none was recorded
 * @param error    why the runs could not be read (then both are {@code null}), or {@code null}
 */
public record MigrationStatus(Run backfill, Run verify, String error) {

    /**
     * One recorded run.
     *
     * @param exitCode 0 done / equal, 1 verify found differences, 2 failed
     * @param summary  backfill: rows per table; verify: counts and differing rows per table, the first differing keys
     */
    public record Run(Instant startedAt, Instant finishedAt, int exitCode, JsonNode summary) {
    }
}
