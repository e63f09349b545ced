package io.cutover.migration.verify;

import static io.cutover.migration.verify.Side.await;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares one mapped table: one pass of counts and hash sums per key range on both sides at once,
 * then each range whose count or sum differs is cut into smaller ranges (bisection, as data-diff
 * does) until it is small enough to compare row by row.
 */
final class TableVerifier {

    private final String table;
    private final Side v1;
    private final Side v2;
    private final VerifyOptions options;
    private final List<Difference> differences = new ArrayList<>();
    private boolean truncated;

    TableVerifier(String table, Side v1, Side v2, VerifyOptions options) {
        this.table = table;
        this.v1 = v1;
        this.v2 = v2;
        this.options = options;
    }

    TableReport run() {
        return run(KeyRange.ALL);
    }

    /** Compares the rows of one key range (a shard's; {@link KeyRange#ALL} for the whole table). */
    TableReport run(KeyRange range) {
        List<String> bounds = firstBounds(range);
        List<Map<Integer, Stats>> stats = bucketStats(range, bounds);
        long v1Rows = stats.get(0).values().stream().mapToLong(Stats::count).sum();
        long v2Rows = stats.get(1).values().stream().mapToLong(Stats::count).sum();
        narrow(range, bounds, stats);
        return new TableReport(table, v1Rows, v2Rows, List.copyOf(differences), truncated);
    }

    /** Integer keys: equal widths between the smallest and largest key; others: quantiles of V1's keys. */
    private List<String> firstBounds(KeyRange range) {
        int segments = options.segments();
        if (v1.integerKey()) {
            List<long[]> mm = awaitBoth(v1.minMax(range), v2.minMax(range));
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (long[] m : mm) {
                if (m != null) {
                    lo = Math.min(lo, m[0]);
                    hi = Math.max(hi, m[1]);
                }
            }
            Set<String> bounds = new java.util.LinkedHashSet<>();
            if (lo <= hi) {
                double width = ((double) hi - lo + 1) / segments;
                for (int i = 1; i < segments; i++) {
                    bounds.add(Long.toString(lo + (long) Math.ceil(i * width)));
                }
            }
            return List.copyOf(bounds);
        }
        long rows = await(v1.count(range));
        return rows == 0 ? List.of() : await(v1.quantiles(range, Math.max(1, rows / segments)));
    }

    private List<Map<Integer, Stats>> bucketStats(KeyRange range, List<String> bounds) {
        return awaitBoth(v1.bucketStats(range, bounds), v2.bucketStats(range, bounds));
    }

    private void narrow(KeyRange range, List<String> bounds, List<Map<Integer, Stats>> stats) {
        Set<Integer> buckets = new TreeSet<>(stats.get(0).keySet());
        buckets.addAll(stats.get(1).keySet());
        for (int bucket : buckets) {
            Stats a = stats.get(0).getOrDefault(bucket, Stats.EMPTY);
            Stats b = stats.get(1).getOrDefault(bucket, Stats.EMPTY);
            if (a.count() == b.count() && a.sum().equals(b.sum())) {
                continue;
            }
            if (differences.size() >= options.maxDifferences()) {
                truncated = true;
                return;
            }
            KeyRange sub = new KeyRange(bucket == 0 ? range.lo() : bounds.get(bucket - 1),
                    bucket == bounds.size() ? range.hi() : bounds.get(bucket));
            compare(sub, a.count(), b.count());
        }
    }

    private void compare(KeyRange range, long v1Count, long v2Count) {
        if (v1Count + v2Count <= options.rowLevel()) {
            compareRows(range);
            return;
        }
        Side larger = v1Count >= v2Count ? v1 : v2;
        long step = Math.max(1, Math.max(v1Count, v2Count) / VerifyOptions.FAN_OUT);
        List<String> bounds = await(larger.quantiles(range, step));
        narrow(range, bounds, bucketStats(range, bounds));
    }

    private void compareRows(KeyRange range) {
        Set<String> recent = new HashSet<>();
        List<Map<String, String>> rows = awaitBoth(v1.rows(range, recent), v2.rows(range, recent));
        Set<String> keys = new HashSet<>(rows.get(0).keySet());
        keys.addAll(rows.get(1).keySet());
        List<String> ordered = new ArrayList<>(keys);
        ordered.sort(v1.integerKey() ? (x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y)) : String::compareTo);
        for (String key : ordered) {
            if (recent.contains(key)) {
                continue;
            }
            String a = rows.get(0).get(key);
            String b = rows.get(1).get(key);
            Difference.Kind kind = a == null ? Difference.Kind.EXTRA : b == null ? Difference.Kind.MISSING
                    : a.equals(b) ? null : Difference.Kind.DIFFERENT;
            if (kind != null) {
                if (differences.size() >= options.maxDifferences()) {
                    truncated = true;
                    return;
                }
                differences.add(new Difference(table, key, kind));
            }
        }
    }

    /** Both sides' answers; the two queries run at the same time. */
    private static <T> List<T> awaitBoth(Future<T> a, Future<T> b) {
        await(Future.all(a, b));
        return java.util.Arrays.asList(a.result(), b.result());
    }
}
