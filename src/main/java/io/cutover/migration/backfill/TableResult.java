package io.cutover.migration.backfill;

/**
 * What the run did to one table.
 *
 * @param rows      source rows read in this run
 * @param inserted  rows inserted into the target
 * @param updated   rows updated because they differed
 * @param nanos     time spent on the table
 * @param complete  whether the table was copied to its last row (false when stopped by --max-batches)
 */
public record TableResult(String table, long rows, long inserted, long updated, long nanos, boolean complete) {

    public long unchanged() {
        return rows - inserted - updated;
    }

    public double rowsPerSecond() {
        return nanos == 0 ? 0 : rows / (nanos / 1e9);
    }
}
