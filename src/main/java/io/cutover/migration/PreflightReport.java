package io.cutover.migration;

import java.util.List;
import java.util.Map;

/** Preflight's findings: one message per missing table, column or unusable expression. */
public record PreflightReport(List<String> problems, Map<String, TableSchema> schemas) {

    public boolean ok() {
        return problems.isEmpty();
    }

    /** Throws (exit 2) with every problem listed when preflight failed. */
    public PreflightReport orThrow() {
        if (!ok()) {
            throw new JobFailure(JobFailure.UNUSABLE, "preflight failed:\n  " + String.join("\n  ", problems));
        }
        return this;
    }
}
