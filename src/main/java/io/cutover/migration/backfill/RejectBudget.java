package io.cutover.migration.backfill;

import io.cutover.migration.JobFailure;
import io.cutover.migration.Rejects;

/** Rows the run may set aside before it stops ({@code --max-rejects}); shared by the tables of one run. */
final class RejectBudget {

    private final long max;
    private long used;

    RejectBudget(long max) {
        this.max = max;
    }

    /** Counts newly rejected rows; past the maximum, the job stops (exit 2: resumable once the rows are fixed). */
    void take(long rows) {
        used += rows;
        if (used > max) {
            throw new JobFailure(JobFailure.UNUSABLE, "more than " + max + " rows rejected by V2 (--max-rejects " + max
                    + "): stopped; they are in " + Rejects.TABLE + " (table, key, V1 row, error): fix the data or V2's"
                    + " constraints, or raise --max-rejects, and run again (the backfill resumes and retries them)");
        }
    }
}
