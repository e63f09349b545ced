package io.cutover.migration.verify;

/**
 * One row that differs: by table and key (the target's key value).
 *
 * @param reason why, when known: for {@link Kind#REJECTED}, V2's error when the backfill set the row aside
 */
public record Difference(String table, String key, Kind kind, String reason) {

    public Difference(String table, String key, Kind kind) {
        this(table, key, kind, null);
    }

    public enum Kind {
        /** In V1, not in V2. */
        MISSING,
        /** In V2, not in V1. */
        EXTRA,
        /** In both, with different mapped values. */
        DIFFERENT,
        /** Not in V2 (or not as in V1) because V2 refused it: the backfill set it aside in cutover_backfill_rejects. */
        REJECTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The same row, known as rejected by the backfill for {@code why}. */
    Difference rejected(String why) {
        return new Difference(table, key, Kind.REJECTED, why);
    }
}
