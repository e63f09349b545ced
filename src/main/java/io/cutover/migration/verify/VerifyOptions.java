package io.cutover.migration.verify;

import java.time.Duration;

/**
 * @param excludeRecent  leave out rows whose write time (the mapping's {@code recent} column) is this recent; zero for none
 * @param segments       key ranges of the first checksum pass ({@value #DEFAULT_SEGMENTS} by default)
 * @param rowLevel       a mismatching range with at most this many rows (both sides) is compared row by row
 * @param maxDifferences stop narrowing down after this many differing rows
 */
public record VerifyOptions(Duration excludeRecent, int segments, int rowLevel, int maxDifferences) {

    public static final int DEFAULT_SEGMENTS = 128;
    public static final int DEFAULT_ROW_LEVEL = 4096;
    public static final int DEFAULT_MAX_DIFFERENCES = 1000;
    /** Sub-ranges a mismatching range is cut into. */
    static final int FAN_OUT = 16;

    public VerifyOptions {
        if (excludeRecent.isNegative()) {
            throw new IllegalArgumentException("exclude recent: " + excludeRecent + " (expected: >= 0)");
        }
        if (segments < 1 || rowLevel < FAN_OUT || maxDifferences < 1) {
            throw new IllegalArgumentException("segments " + segments + ", row level " + rowLevel + ", max differences "
                    + maxDifferences + " (expected: >= 1, >= " + FAN_OUT + ", >= 1)");
        }
    }

    public static VerifyOptions defaults() {
        return new VerifyOptions(Duration.ZERO, DEFAULT_SEGMENTS, DEFAULT_ROW_LEVEL, DEFAULT_MAX_DIFFERENCES);
    }
}
