package io.cutover.migration.backfill;

/**
 * One page of source rows, column by column (the upsert sends each column as one array, typed by its
 * {@link Wire}); column {@code keyIndex} holds the key, read as text for checkpoints, rejects and the next page.
 */
record Page(Object[][] columns, int size, int keyIndex) {

    static final Page EMPTY = new Page(new Object[0][], 0, 0);

    String key(int row) {
        return String.valueOf(columns[keyIndex][row]);
    }

    String lastKey() {
        return size == 0 ? null : key(size - 1);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), as a page of their own. */
    Page slice(int from, int to) {
        Object[][] sliced = new Object[columns.length][];
        for (int c = 0; c < columns.length; c++) {
            sliced[c] = java.util.Arrays.copyOfRange(columns[c], from, to);
        }
        return new Page(sliced, to - from, keyIndex);
    }
}
