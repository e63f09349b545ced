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
}
