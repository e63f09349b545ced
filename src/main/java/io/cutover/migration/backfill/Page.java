package io.cutover.migration.backfill;

/** One page of source rows, column by column as text (the upsert sends each column as one array). */
record Page(String[][] columns, int size, String lastKey) {

    static final Page EMPTY = new Page(new String[0][], 0, null);
}
