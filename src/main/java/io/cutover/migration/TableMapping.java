package io.cutover.migration;

import java.util.List;

/**
 * One source table copied into one target table.
 *
 * @param name        the table's name in checkpoints, progress and reports
 * @param source      the source table
 * @param target      the target table
 * @param key         the target's key column; its mapping must be a plain source column (the source key)
 * @param recent      a target column holding a write time, for verify's {@code --exclude-recent} (may be null)
 * @param beforeBatch target statements run in each batch's transaction before the upsert, over {@code batch}
 * @param columns     the target columns in order
 */
public record TableMapping(String name, String source, String target, String key, String recent,
                           List<String> beforeBatch, List<ColumnMapping> columns) {

    public ColumnMapping column(String targetColumn) {
        return columns.stream().filter(c -> c.target().equals(targetColumn)).findFirst().orElse(null);
    }

    /** The source key column (keyset pagination runs on it). */
    public String sourceKey() {
        return Sql.columnOf(column(key).source());
    }

    public List<ColumnMapping> staged() {
        return columns.stream().filter(ColumnMapping::staged).toList();
    }
}
