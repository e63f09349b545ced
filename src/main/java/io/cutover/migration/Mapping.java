package io.cutover.migration;

import java.util.List;
import java.util.Map;

/**
 * A declarative mapping from source (V1) tables to target (V2) tables; the default mapping of the
 * reference README is the resource {@value #DEFAULT_RESOURCE}.
 *
 * @param name           names the mapping's checkpoints
 * @param requiredSource extra source tables and columns that preflight checks (table -> columns)
 * @param requiredTarget extra target tables and columns that preflight checks (table -> columns)
 * @param setup          idempotent target statements run once before the first table
 * @param tables         tables in dependency order
 */
public record Mapping(String name, Map<String, List<String>> requiredSource, Map<String, List<String>> requiredTarget,
                      List<String> setup, List<TableMapping> tables) {

    public static final String DEFAULT_RESOURCE = "/migration/default-mapping.yaml";

    public TableMapping table(String tableName) {
        return tables.stream().filter(t -> t.name().equals(tableName)).findFirst().orElse(null);
    }
}
