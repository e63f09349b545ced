package io.cutover.migration.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cutover.migration.JobFailure;
import io.cutover.migration.Rejects;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Verify's result: per table the counts and the rows that differ; text for people, JSON for pipelines. */
public record VerifyReport(List<TableReport> tables, long nanos) {

    /** Exit code of a verify whose only differences are rows the backfill set aside (rejected by V2). */
    public static final int ONLY_REJECTED = 3;

    public boolean equal() {
        return tables.stream().allMatch(TableReport::equal);
    }

    public List<Difference> rejected() {
        return differences().stream().filter(d -> d.kind() == Difference.Kind.REJECTED).toList();
    }

    /** 0 equal, {@value #ONLY_REJECTED} when every difference is a known reject, 1 otherwise. */
    public int exitCode() {
        if (equal()) {
            return 0;
        }
        boolean truncated = tables.stream().anyMatch(TableReport::truncated);
        return !truncated && rejected().size() == differences().size() ? ONLY_REJECTED : JobFailure.DIFFERENT;
    }

    public TableReport table(String name) {
        return tables.stream().filter(t -> t.table().equals(name)).findFirst().orElse(null);
    }

    public List<Difference> differences() {
        return tables.stream().flatMap(t -> t.differences().stream()).toList();
    }

    /**
     * The summary recorded for {@code GET /admin/status}: per table the counts and the number of differing rows,
     * and the first {@code firstKeys} differing keys.
     */
    public Map<String, Object> summary(int firstKeys) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("equal", equal());
        json.put("seconds", nanos / 1e9);
        json.put("differences", differences().size());
        json.put("rejected", rejected().size());
        json.put("truncated", tables.stream().anyMatch(TableReport::truncated));
        json.put("tables", tables.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", t.table());
            m.put("v1Rows", t.v1Rows());
            m.put("v2Rows", t.v2Rows());
            m.put("differences", t.differences().size());
            m.put("truncated", t.truncated());
            return m;
        }).toList());
        json.put("firstDifferences", differences().stream().limit(firstKeys)
                .map(VerifyReport::json).toList());
        return json;
    }

    public void printText(PrintWriter out) {
        out.printf("%-14s %12s %12s  %s%n", "table", "v1 rows", "v2 rows", "result");
        for (TableReport t : tables) {
            String result = t.equal() ? "equal" : t.differences().size() + " differing rows" + (t.truncated() ? " (or more)" : "");
            out.printf("%-14s %,12d %,12d  %s%n", t.table(), t.v1Rows(), t.v2Rows(), result);
        }
        for (Difference d : differences()) {
            if (d.kind() != Difference.Kind.REJECTED) {
                out.printf("%s %s %s%n", d.kind().label(), d.table(), d.key());
            }
        }
        List<Difference> rejected = rejected();
        if (!rejected.isEmpty()) {
            out.printf("rejected (known: V2 refused them at backfill, they are in %s):%n", Rejects.TABLE);
            for (Difference d : rejected) {
                out.printf("  rejected %s %s: %s%n", d.table(), d.key(), d.reason());
            }
        }
        long rows = tables.stream().mapToLong(TableReport::v1Rows).sum();
        out.printf("verify: %s (%d tables, %,d V1 rows, %.2f s)%n",
                equal() ? "equal" : differences().size() + " differing rows" + (rejected.isEmpty() ? ""
                        : ", " + rejected.size() + " of them rejected"), tables.size(), rows, nanos / 1e9);
        out.flush();
    }

    private static Map<String, Object> json(Difference d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", d.table());
        m.put("key", d.key());
        m.put("kind", d.kind().label());
        if (d.reason() != null) {
            m.put("reason", d.reason());
        }
        return m;
    }

    public void printJson(PrintWriter out) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("equal", equal());
        json.put("seconds", nanos / 1e9);
        json.put("tables", tables.stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", t.table());
            m.put("v1Rows", t.v1Rows());
            m.put("v2Rows", t.v2Rows());
            m.put("equal", t.equal());
            m.put("truncated", t.truncated());
            return m;
        }).toList());
        json.put("differences", differences().stream()
                .map(VerifyReport::json).toList());
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
