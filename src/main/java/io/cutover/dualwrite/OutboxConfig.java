package io.cutover.dualwrite;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** {@code cutover.outbox.*}: the durable dual write. */
@ConfigMapping(prefix = "cutover.outbox")
public interface OutboxConfig {

    /** The primary's answer fields carried to the secondary by default: {@value}. */
    String DEFAULT_PRIMARY_FIELDS = "id,createdAt,updatedAt";
    /** Rows of one entity sent back to back in one round by default: {@value}. */
    String DEFAULT_RUN_SIZE = "64";

    /** What a write does when its intent cannot be stored because the router's database is down. */
    enum WhenDatabaseDown {
        /** Serve it on the primary, hold the intent in memory, mark the span that is not durable. */
        BUFFER,
        /** Answer 503: no write is accepted that the outbox cannot make durable. */
        STRICT
    }

    @WithDefault("buffer")
    WhenDatabaseDown whenDatabaseDown();

    /**
     * The longest a write waits for the router's database at each step of its path (the outbox-order check,
     * recording the intent, settling it). Past it the database counts as down: the intent is held in memory
     * and counted in the durability gap (or, strict, the write is refused with 503), and the write goes on.
     */
    @WithDefault("300ms")
    Duration databaseTimeout();

    /**
     * How long a write waits, before it is forwarded, for copies of its entity's earlier writes to arrive on the only
     * side it may go to (V2 never received it and it falls back to V1, or the rollback latch holds it on V1): applied
     * there before them, it would be overwritten when they arrive. Past it the client gets 503 with
     * {@code Retry-After}. 0: answer 503 at once.
     */
    @WithDefault("2s")
    Duration orderWait();

    /**
     * Whether a record's replacement ({@code PUT}) that the next row of its run replaces again ({@code PUT} of the same
     * URI, its primary's answer recorded) is skipped: the secondary ends on the same version with one send instead of
     * many, and a hot record drains as fast as it is written whatever the secondary's latency. Off by default: the
     * secondary then sees every version, which matters to one that keeps a history of them or acts on each write.
     */
    @WithDefault("false")
    boolean coalesceReplacements();

    /** Intents held in memory while the database is down; beyond it they are counted as lost. */
    @WithDefault("10000")
    int memoryBuffer();

    /** Most rows in one group-committed insert or update. */
    @WithDefault("512")
    int batchSize();

    /**
     * How often each replica's worker looks for rows to send while the outbox is idle. While rows are due,
     * rounds follow each other at once.
     */
    @WithDefault("100ms")
    Duration pollInterval();

    /**
     * Per round: independent rows (readings) one worker claims and sends in parallel, and entities it
     * claims (each one's rows go back to back, entities in parallel).
     */
    @WithDefault("256")
    int claimSize();

    /** Rows of one entity sent back to back, in order, within one round (the rest go in the next round). */
    @WithDefault(DEFAULT_RUN_SIZE)
    int runSize();

    /**
     * The fields of the primary's answer that the primary assigns, carried into the secondary's write
     * (see {@code PrimaryFields}). Empty: none (not even the created id).
     */
    @WithDefault(DEFAULT_PRIMARY_FIELDS)
    List<String> primaryFields();

    /** How long a claimed row is reserved for the worker that claimed it (a dead replica's rows come back after it). */
    @WithDefault("30s")
    Duration lease();

    /** First retry delay; it doubles per attempt, with jitter. */
    @WithDefault("500ms")
    Duration backoffInitial();

    /** Longest retry delay. Retries never stop. */
    @WithDefault("60s")
    Duration backoffMax();

    /** An intent whose primary answer was never recorded (the router died in between) is sent after this. */
    @WithDefault("30s")
    Duration unconfirmedGrace();

    /** Finished rows (done, cancelled) are deleted after this. */
    @WithDefault("1h")
    Duration retention();

    /** Request headers stored with an intent and replayed to the secondary. */
    @WithDefault("Content-Type,Accept,Authorization,X-Api-Key")
    List<String> headers();
}
