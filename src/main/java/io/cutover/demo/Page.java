package io.cutover.demo;

/**
 * A keyset page: the rows whose id sorts after {@code after} (all rows when {@code null}), at
 * most {@code limit} of them.
 */
record Page(String after, int limit) {
}
