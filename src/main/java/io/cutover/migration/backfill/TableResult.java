package io.cutover.migration.backfill;

import io.cutover.migration.Rejects;
import java.util.List;

/**
 * What the run did to one table (or to this shard's range of it).
 *
 * @param rows        source rows read in this run
 * @param inserted    rows inserted into the target
 * @param updated     rows updated because they differed
 * @param nanos       time spent on the table
 * @param complete    whether the table was copied to its last row (false when stopped by --max-batches)
 * @param rejected    rows V2 refused in this run, set aside in cutover_backfill_rejects
 * @param cleared     rows set aside by earlier runs that went in this time (or are gone from V1)
 * @param pausedNanos time the copy was paused by the throttle query
 * @param firstRejects the first rows set aside (at most {@value #FIRST_REJECTS}), for the summary
 */
public record TableResult(String table, long rows, long inserted, long updated, long nanos, boolean complete,
                          long rejected, long cleared, long pausedNanos, List<Rejects.Reject> firstRejects) {

    public static final int FIRST_REJECTS = 10;

    static TableResult notStarted(String table) {
        return new TableResult(table, 0, 0, 0, 0, false, 0, 0, 0, List.of());
    }

    public long unchanged() {
        return Math.max(0, rows - inserted - updated - rejected);
    }

    public double rowsPerSecond() {
        return nanos == 0 ? 0 : rows / (nanos / 1e9);
    }
}
