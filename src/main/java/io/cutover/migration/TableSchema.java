package io.cutover.migration;

import java.util.Map;

/** What preflight learnt about one mapped table: the source key's type and the target columns' types. */
public record TableSchema(String sourceKeyType, Map<String, String> targetTypes) {

    public String targetType(String column) {
        return targetTypes.get(column);
    }
}
