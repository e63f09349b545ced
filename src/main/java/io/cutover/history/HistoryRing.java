package io.cutover.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last span / interval points and the latch marks within the span: bounded whatever the traffic or
 * the flapping of the latch. Not thread-safe: {@link Sampler} guards it.
 */
final class HistoryRing {

    /** The most points a ring keeps: {@value} (a day of 10 s points). */
    static final int MAX_POINTS = 8640;
    /** The most marks kept: {@value}; beyond it the oldest go, even within the span. */
    static final int MAX_MARKS = 200;

    private final int capacity;
    private final Duration span;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();

    HistoryRing(Duration interval, Duration span) {
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("cutover.history.interval: " + interval + " (expected: at least 1s)");
        }
        if (span.compareTo(interval) < 0) {
            throw new IllegalArgumentException("cutover.history.span: " + span
                    + " (expected: at least cutover.history.interval, " + interval + ")");
        }
        long n = (span.toNanos() + interval.toNanos() - 1) / interval.toNanos();
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("cutover.history.span / cutover.history.interval: " + span + " / " + interval
                    + " = " + n + " points (expected: at most " + MAX_POINTS + "; widen the interval or shorten the span)");
        }
        this.capacity = (int) n;
        this.span = span;
    }

    int capacity() {
        return capacity;
    }

    void add(Point p) {
        points.addLast(p);
        while (points.size() > capacity) {
            points.removeFirst();
        }
    }

    void mark(Mark m) {
        marks.addLast(m);
        while (marks.size() > MAX_MARKS) {
            marks.removeFirst();
        }
    }

    List<Point> points() {
        return List.copyOf(points);
    }

    /** The marks not older than the span before {@code now}. */
    List<Mark> marks(Instant now) {
        Instant from = now.minus(span);
        while (!marks.isEmpty() && marks.peekFirst().at().isBefore(from)) {
            marks.removeFirst();
        }
        return new ArrayList<>(marks);
    }
}
