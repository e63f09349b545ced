package io.cutover.history;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /admin/history}: this replica's ring, oldest first.
 *
 * @param replica    which replica kept it ({@code cutover.history.replica}, else the host name)
 * @param startedAt  when this replica started keeping it (nothing older exists)
 * @param intervalMs the width of a point
 * @param spanMs     how far back the ring reaches
 * @param open       the interval being counted now (not yet a point)
 * @param points     the closed intervals, oldest first, at most span / interval
 * @param marks      the latch's changes within the span, oldest first
 */
public record HistoryView(String replica, Instant startedAt, long intervalMs, long spanMs, Open open,
                          List<Point> points, List<Mark> marks) {

    /** The interval being counted now: it becomes a point at {@code start + interval}. */
    public record Open(Instant start, long closesInMs) {
    }
}
