package io.cutover.migration.verify;

import java.util.List;

/**
 * @param v1Rows    rows compared on V1 (rows written within --exclude-recent left out)
 * @param v2Rows    the same on V2; counts may differ without a difference when a row is recent on one side only
 * @param truncated whether the search stopped at --max-differences (more rows may differ)
 */
public record TableReport(String table, long v1Rows, long v2Rows, List<Difference> differences, boolean truncated) {

    public boolean equal() {
        return differences.isEmpty() && !truncated;
    }
}
