package io.cutover.migration.backfill;

import io.cutover.migration.shard.Shard;
import java.time.Duration;

/**
 * @param batchSize        rows per page read and per upsert ({@value #DEFAULT_BATCH_SIZE} by default)
 * @param maxRowsPerSecond throttle; 0 for none
 * @param maxBatches       stop (resumable) after this many batches in all; 0 for no limit
 * @param restart          forget this mapping's (this shard's) checkpoints and start from the first row
 * @param writers          pages written at once, each in its own transaction ({@value #DEFAULT_WRITERS} by default)
 * @param shard            the part of every table this run copies ({@link Shard#WHOLE}: all of it)
 * @param maxRejects       rows V2 may refuse (set aside) before the run stops ({@value #DEFAULT_MAX_REJECTS} by default)
 * @param throttleQuery    SQL run on V2 at most every second, one number; null for none
 * @param throttleMax      above this value of the throttle query the copy pauses
 * @param shardWait        how long a shard waits for the others to finish a table the next one depends on
 */
public record BackfillOptions(int batchSize, long maxRowsPerSecond, long maxBatches, boolean restart, int writers,
                              Shard shard, long maxRejects, String throttleQuery, double throttleMax,
                              Duration shardWait) {

    public static final int DEFAULT_BATCH_SIZE = 5000;
    public static final int DEFAULT_WRITERS = 2;
    public static final int MAX_WRITERS = 8;
    public static final long DEFAULT_MAX_REJECTS = 1000;
    /** {@code --shard-wait} by default: 6 hours. */
    public static final Duration DEFAULT_SHARD_WAIT = Duration.ofHours(6);

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
        if (maxRejects < 0) {
            throw new IllegalArgumentException("max rejects: " + maxRejects + " (expected: >= 0)");
        }
        if (throttleQuery != null && throttleQuery.isBlank()) {
            throttleQuery = null;
        }
        if (shardWait.isNegative()) {
            throw new IllegalArgumentException("shard wait: " + shardWait + " (expected: >= 0)");
        }
    }

    public BackfillOptions(int batchSize, long maxRowsPerSecond, long maxBatches, boolean restart, int writers) {
        this(batchSize, maxRowsPerSecond, maxBatches, restart, writers, Shard.WHOLE, DEFAULT_MAX_REJECTS, null, 0,
                DEFAULT_SHARD_WAIT);
    }

    public static BackfillOptions defaults() {
        return new BackfillOptions(DEFAULT_BATCH_SIZE, 0, 0, false, DEFAULT_WRITERS);
    }

    public BackfillOptions withShard(Shard s) {
        return new BackfillOptions(batchSize, maxRowsPerSecond, maxBatches, restart, writers, s, maxRejects,
                throttleQuery, throttleMax, shardWait);
    }

    public BackfillOptions withMaxRejects(long max) {
        return new BackfillOptions(batchSize, maxRowsPerSecond, maxBatches, restart, writers, shard, max,
                throttleQuery, throttleMax, shardWait);
    }

    public BackfillOptions withThrottle(String query, double max) {
        return new BackfillOptions(batchSize, maxRowsPerSecond, maxBatches, restart, writers, shard, maxRejects,
                query, max, shardWait);
    }

    public BackfillOptions withShardWait(Duration wait) {
        return new BackfillOptions(batchSize, maxRowsPerSecond, maxBatches, restart, writers, shard, maxRejects,
                throttleQuery, throttleMax, wait);
    }
}
