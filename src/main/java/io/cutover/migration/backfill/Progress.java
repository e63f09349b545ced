package io.cutover.migration.backfill;

/** Reports a table's copy as it goes: a bar on a terminal, log lines elsewhere, nothing in tests. */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void start(String table, long done, long total) {
        }

        @Override
        public void update(long done) {
        }

        @Override
        public void finish(long done) {
        }
    };

    /** @param done rows already copied (by an earlier, resumed run); @param total rows in all, estimated */
    void start(String table, long done, long total);

    void update(long done);

    void finish(long done);

    /** The copy pauses: the throttle query returned {@code value}, above {@code max}. */
    default void paused(double value, double max) {
    }

    /** The copy goes on after a pause of {@code pausedNanos}; the throttle query returned {@code value}. */
    default void resumed(double value, long pausedNanos) {
    }

    /** The shard waits for other shards before this table (they copy a table it depends on). */
    default void waiting(String table, String message) {
    }

    /** Rows set aside so far in this table (V2 refused them). */
    default void rejected(long rows) {
    }
}
