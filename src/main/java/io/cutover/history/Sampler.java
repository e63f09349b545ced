package io.cutover.history;

import io.cutover.clock.Ticker;
import io.cutover.routing.Backend;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Closes intervals on the ticker: what the meters counted since the last close becomes the point of the
 * interval that was open. Called by a timer and before every read, so that a read never shows an interval
 * the ticker has left as still open. Intervals skipped at once (the event loop held for longer than an
 * interval, or a test moving the ticker) become points without requests: the counts go to the first.
 * Synchronized: a timer and the admin API call it, never a request.
 */
final class Sampler {

    private final Ticker ticker;
    private final Timeline timeline;
    private final HistoryRing ring;
    private final Duration interval;
    private final Function<Backend, BackendTotals> totals;
    private final Supplier<Double> weight;
    private final OutboxLag lag;

    private long open;
    private BackendTotals v1;
    private BackendTotals v2;

    Sampler(Ticker ticker, Timeline timeline, HistoryRing ring, Duration interval,
            Function<Backend, BackendTotals> totals, Supplier<Double> weight, OutboxLag lag) {
        this.ticker = ticker;
        this.timeline = timeline;
        this.ring = ring;
        this.interval = interval;
        this.totals = totals;
        this.weight = weight;
        this.lag = lag;
        this.open = timeline.index(ticker.nanos());
        this.v1 = totals.apply(Backend.V1);
        this.v2 = totals.apply(Backend.V2);
    }

    /** Closes every interval the ticker has left. */
    synchronized void closeDue() {
        long now = timeline.index(ticker.nanos());
        if (now <= open) {
            return;
        }
        BackendTotals t1 = totals.apply(Backend.V1);
        BackendTotals t2 = totals.apply(Backend.V2);
        Double w = weight.get();
        Map<String, Double> l = Map.copyOf(lag.lagSeconds());
        double seconds = interval.toNanos() / 1e9;
        ring.add(new Point(timeline.startOf(open), t1.since(v1, seconds), t2.since(v2, seconds), w, l));
        // skipped intervals: empty, and no more of them than the ring holds
        for (long k = Math.max(open + 1, now - ring.capacity()); k < now; k++) {
            ring.add(new Point(timeline.startOf(k), BackendPoint.EMPTY, BackendPoint.EMPTY, w, l));
        }
        open = now;
        v1 = t1;
        v2 = t2;
    }

    synchronized void mark(Mark m) {
        ring.mark(m);
    }

    /** Now on the timeline: marks are placed with it. */
    Instant now() {
        return timeline.instantOf(ticker.nanos());
    }

    synchronized Snapshot snapshot() {
        closeDue();
        long tick = ticker.nanos();
        return new Snapshot(new HistoryView.Open(timeline.startOf(open), Math.max(0, timeline.nanosToClose(tick) / 1_000_000)),
                ring.points(), ring.marks(timeline.instantOf(tick)));
    }

    record Snapshot(HistoryView.Open open, List<Point> points, List<Mark> marks) {
    }
}
