package io.cutover.migration.backfill;

/**
 * One page of source rows, column by column (the upsert sends each column as one array, typed by its
 * {@link Wire}); the last key as text, for the checkpoint and the next page.
 */
record Page(Object[][] columns, int size, String lastKey) {

    static final Page EMPTY = new Page(new Object[0][], 0, null);
}
