package io.cutover.migration.backfill;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The summary recorded for {@code GET /admin/status}: rows per table. */
    public Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("complete", complete());
        json.put("seconds", nanos / 1e9);
        json.put("rows", rows());
        json.put("tables", tables.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", t.table());
            m.put("rows", t.rows());
            m.put("inserted", t.inserted());
            m.put("updated", t.updated());
            m.put("unchanged", t.unchanged());
            m.put("seconds", t.nanos() / 1e9);
            m.put("complete", t.complete());
            return m;
        }).toList());
        return json;
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
