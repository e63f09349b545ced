package io.cutover.migration.backfill;

/**
 * @param batchSize        rows per page read and per upsert ({@value #DEFAULT_BATCH_SIZE} by default)
 * @param maxRowsPerSecond throttle; 0 for none
 * @param maxBatches       stop (resumable) after this many batches in all; 0 for no limit
 * @param restart          forget this mapping's checkpoints and start from the first row
 * @param writers          pages written at once, each in its own transaction ({@value #DEFAULT_WRITERS} by default)
 */
public record BackfillOptions(int batchSize, long maxRowsPerSecond, long maxBatches, boolean restart, int writers) {

    public static final int DEFAULT_BATCH_SIZE = 5000;
    public static final int DEFAULT_WRITERS = 2;
    public static final int MAX_WRITERS = 8;

    public BackfillOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size: " + batchSize + " (expected: >= 1)");
        }
        if (maxRowsPerSecond < 0) {
            throw new IllegalArgumentException("max rows per second: " + maxRowsPerSecond + " (expected: >= 0)");
        }
        if (writers < 1 || writers > MAX_WRITERS) {
            throw new IllegalArgumentException("writers: " + writers + " (expected: 1.." + MAX_WRITERS + ")");
        }
        if (maxBatches < 0) {
            throw new IllegalArgumentException("max batches: " + maxBatches + " (expected: >= 0)");
        }
    }

    public static BackfillOptions defaults() {
        return new BackfillOptions(DEFAULT_BATCH_SIZE, 0, 0, false, DEFAULT_WRITERS);
    }
}
