package io.cutover.migration.verify;

/** Keys from {@code lo} (inclusive) to {@code hi} (exclusive), as text; null for an open end. */
record KeyRange(String lo, String hi) {

    static final KeyRange ALL = new KeyRange(null, null);
}
