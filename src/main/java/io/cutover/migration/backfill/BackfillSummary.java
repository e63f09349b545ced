package io.cutover.migration.backfill;

import io.cutover.migration.Rejects;
import io.cutover.migration.shard.Shard;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of a backfill (of one shard): rows per table, rows set aside, time and rate.
 *
 * @param everyShardDone whether the whole key space is now copied: this run complete and, sharded, every other
 *                       shard complete too (this one finished last)
 */
public record BackfillSummary(List<TableResult> tables, long nanos, Shard shard, boolean everyShardDone) {

    /** Exit code of a backfill that ended with rows set aside in cutover_backfill_rejects. */
    public static final int REJECTED = 3;

    public BackfillSummary(List<TableResult> tables, long nanos) {
        this(tables, nanos, Shard.WHOLE, tables.stream().allMatch(TableResult::complete));
    }

    public boolean complete() {
        return tables.stream().allMatch(TableResult::complete);
    }

    public TableResult table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst().orElse(null);
    }

    public long rows() {
        return tables.stream().mapToLong(TableResult::rows).sum();
    }

    public long rejected() {
        return tables.stream().mapToLong(TableResult::rejected).sum();
    }

    public List<Rejects.Reject> firstRejects() {
        return tables.stream().flatMap(t -> t.firstRejects().stream()).toList();
    }

    /** 0 done clean (or stopped by --max-batches), {@value #REJECTED} with rows set aside. */
    public int exitCode() {
        return rejected() > 0 ? REJECTED : 0;
    }

    /** The summary recorded for {@code GET /admin/status}: rows per table. */
    public Map<String, Object> summary() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("complete", complete());
        if (shard.sharded()) {
            json.put("shard", shard.index());
            json.put("shards", shard.count());
        }
        json.put("seconds", nanos / 1e9);
        json.put("rows", rows());
        json.put("rejected", rejected());
        json.put("tables", tables.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", t.table());
            m.put("rows", t.rows());
            m.put("inserted", t.inserted());
            m.put("updated", t.updated());
            m.put("unchanged", t.unchanged());
            m.put("rejected", t.rejected());
            m.put("cleared", t.cleared());
            m.put("pausedSeconds", t.pausedNanos() / 1e9);
            m.put("seconds", t.nanos() / 1e9);
            m.put("complete", t.complete());
            return m;
        }).toList());
        json.put("firstRejects", firstRejects().stream().map(r -> Map.of("table", r.table(), "key", r.key(),
                "error", r.error())).toList());
        return json;
    }

    public void print(PrintWriter out) {
        if (shard.sharded()) {
            out.printf("shard %s%n", shard.label());
        }
        out.printf("%-14s %12s %12s %12s %12s %9s %9s %12s%n", "table", "rows", "inserted", "updated", "unchanged",
                "rejected", "seconds", "rows/s");
        for (TableResult t : tables) {
            String notes = (t.complete() ? "" : "  (stopped, resumable)")
                    + (t.cleared() > 0 ? String.format("  (%,d earlier rejects went in)", t.cleared()) : "")
                    + (t.pausedNanos() > 0 ? String.format("  (paused %.1f s by the throttle query)", t.pausedNanos() / 1e9) : "");
            out.printf("%-14s %,12d %,12d %,12d %,12d %,9d %9.2f %,12.0f%s%n", t.table(), t.rows(), t.inserted(),
                    t.updated(), t.unchanged(), t.rejected(), t.nanos() / 1e9, t.rowsPerSecond(), notes);
        }
        double seconds = nanos / 1e9;
        out.printf("%-14s %,12d %61.2f %,12.0f%n", "total", rows(), seconds, seconds == 0 ? 0 : rows() / seconds);
        if (rejected() > 0) {
            out.printf("rejected (set aside in %s; a later backfill tries them again):%n", Rejects.TABLE);
            for (Rejects.Reject r : firstRejects()) {
                out.printf("  %s %s: %s%n", r.table(), r.key(), r.error());
            }
            if (firstRejects().size() < rejected()) {
                out.printf("  ... %,d more%n", rejected() - firstRejects().size());
            }
        }
        out.println(!complete() ? "backfill stopped after --max-batches; run again to resume"
                : rejected() > 0 ? "backfill complete, " + rejected() + " rows rejected (exit " + REJECTED + ")"
                : "backfill complete");
        out.flush();
    }
}
