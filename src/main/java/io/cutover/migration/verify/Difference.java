package io.cutover.migration.verify;

/** One row that differs: by table and key (the target's key value). */
public record Difference(String table, String key, Kind kind) {

    public enum Kind {
        /** In V1, not in V2. */
        MISSING,
        /** In V2, not in V1. */
        EXTRA,
        /** In both, with different mapped values. */
        DIFFERENT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
