package io.cutover.migration.backfill;

import java.io.PrintWriter;
import java.util.List;

/** The end of a backfill: rows per table, time and rate. */
public record BackfillSummary(List<TableResult> tables, long nanos) {

    public boolean complete() {
        return tables.stream().allMatch(TableResult::complete);
    }

    public TableResult table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst().orElse(null);
    }

    public long rows() {
        return tables.stream().mapToLong(TableResult::rows).sum();
    }

    public void print(PrintWriter out) {
        out.printf("%-14s %12s %12s %12s %12s %9s %12s%n", "table", "rows", "inserted", "updated", "unchanged",
                "seconds", "rows/s");
        for (TableResult t : tables) {
            out.printf("%-14s %,12d %,12d %,12d %,12d %9.2f %,12.0f%s%n", t.table(), t.rows(), t.inserted(), t.updated(),
                    t.unchanged(), t.nanos() / 1e9, t.rowsPerSecond(), t.complete() ? "" : "  (stopped, resumable)");
        }
        double seconds = nanos / 1e9;
        out.printf("%-14s %,12d %51.2f %,12.0f%n", "total", rows(), seconds, seconds == 0 ? 0 : rows() / seconds);
        out.println(complete() ? "backfill complete" : "backfill stopped after --max-batches; run again to resume");
        out.flush();
    }
}
