package io.cutover.migration.verify;

/** Row count and sum of 64-bit row hashes (exact, as text) of one key range on one side. */
record Stats(long count, String sum) {

    static final Stats EMPTY = new Stats(0, "0");
}
