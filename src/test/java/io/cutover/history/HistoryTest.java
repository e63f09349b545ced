package io.cutover.history;

import static io.cutover.observability.MetricNames.BACKEND_LATENCY;
import static io.cutover.observability.MetricNames.EFFECTIVE_WEIGHT;
import static io.cutover.observability.MetricNames.OUTBOX_LAG;
import static io.cutover.observability.MetricNames.REQUESTS;
import static io.cutover.observability.MetricNames.TAG_BACKEND;
import static io.cutover.observability.MetricNames.TAG_OUTCOME;
import static io.cutover.observability.MetricNames.TAG_ROUTE;
import static io.cutover.observability.MetricNames.TAG_TARGET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cutover.clock.Ticker;
import io.cutover.resilience.Outcome;
import io.cutover.rollback.SharedLatch;
import io.cutover.routing.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The ring on a ticker the test moves, reading real Micrometer meters (Prometheus registry, as the router runs)
 * of the names and tags the request path counts under.
 */
class HistoryTest {

    private static final Instant START = Instant.parse("2026-12-01T10:20:03.500Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final AtomicLong nanos = new AtomicLong(7_000_000_000L);
    private final Ticker ticker = nanos::get;
    private final AtomicReference<Instant> wall = new AtomicReference<>(START);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return wall.get();
        }
    };
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SharedLatch latch = new SharedLatch(clock);

    private History history(Duration span) {
        return new History(INTERVAL, span, "router-a", ticker, clock, new RouterMeters(registry),
                new MeterOutboxLag(registry), latch);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        wall.set(wall.get().plus(d));
    }

    /** The ticker moves on by an interval, and the timer (every 500 ms) closes it. */
    private void intervalEnds(History h) {
        advance(INTERVAL);
        h.view();
    }

    /** Counts as the request path does: one counter per route, backend and outcome; one latency timer per backend. */
    private void call(Backend b, Outcome outcome, int times, long latencyMs) {
        Counter c = Counter.builder(REQUESTS).tags(TAG_ROUTE, "devices", TAG_BACKEND, b.id(), TAG_OUTCOME, outcome.tag())
                .register(registry);
        Timer t = Timer.builder(BACKEND_LATENCY).tags(TAG_BACKEND, b.id()).publishPercentileHistogram().register(registry);
        for (int i = 0; i < times; i++) {
            c.increment();
            if (outcome != Outcome.BREAKER_OPEN) {
                t.record(latencyMs, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Test
    void shouldPutEachIntervalsRequestsErrorsAndP99InItsOwnPoint() {
        History h = history(Duration.ofHours(1));
        call(Backend.V2, Outcome.SUCCESS, 10, 3);
        call(Backend.V2, Outcome.SERVER_ERROR, 10, 3);
        intervalEnds(h);
        call(Backend.V1, Outcome.SUCCESS, 4, 3);
        call(Backend.V1, Outcome.CLIENT_ERROR, 1, 3);
        advance(INTERVAL);

        List<Point> points = h.view().points();

        assertThat(points).hasSize(2);
        Point burst = points.get(0);
        assertThat(burst.start()).isEqualTo(Instant.parse("2026-12-01T10:20:00Z"));
        assertThat(burst.v2().requests()).isEqualTo(20);
        assertThat(burst.v2().failures()).isEqualTo(10);
        assertThat(burst.v2().ratePerSecond()).isEqualTo(2.0);
        assertThat(burst.v2().errorRate()).isEqualTo(0.5);
        assertThat(burst.v1().requests()).isZero();
        assertThat(burst.v1().errorRate()).as("no requests: no error rate, a gap in the curve").isNull();
        assertThat(burst.v1().p99Ms()).isNull();
        Point after = points.get(1);
        assertThat(after.start()).isEqualTo(Instant.parse("2026-12-01T10:20:10Z"));
        assertThat(after.v1().requests()).isEqualTo(5);
        assertThat(after.v1().errorRate()).as("a 4xx is the client's error, not V1's").isEqualTo(0.0);
        assertThat(after.v1().ratePerSecond()).isEqualTo(0.5);
        assertThat(after.v2().requests()).isZero();
    }

    @Test
    void shouldShowTheP99OfTheIntervalNotOfEverythingSinceStart() {
        History h = history(Duration.ofHours(1));
        call(Backend.V2, Outcome.SUCCESS, 98, 3);
        call(Backend.V2, Outcome.SUCCESS, 2, 400);
        intervalEnds(h);
        call(Backend.V2, Outcome.SUCCESS, 100, 3);
        advance(INTERVAL);

        List<Point> points = h.view().points();

        assertThat(points.get(0).v2().p99Ms()).as("the 99th of 100 calls took 400 ms: its histogram bucket's bound")
                .isBetween(400.0, 560.0);
        assertThat(points.get(1).v2().p99Ms()).as("the slow calls were in the interval before").isBetween(3.0, 4.5);
    }

    @Test
    void shouldCountACallRefusedByTheOpenBreakerAsAFailureAndAnAbortedClientNotAtAll() {
        History h = history(Duration.ofHours(1));
        call(Backend.V2, Outcome.BREAKER_OPEN, 6, 0);
        call(Backend.V2, Outcome.SUCCESS, 2, 3);
        call(Backend.V2, Outcome.CLIENT_ABORTED, 5, 3);
        advance(INTERVAL);

        BackendPoint v2 = h.view().points().get(0).v2();

        assertThat(v2.requests()).isEqualTo(8);
        assertThat(v2.failures()).isEqualTo(6);
        assertThat(v2.errorRate()).isEqualTo(0.75);
    }

    @Test
    void shouldSayWhichIntervalIsOpenAndWhenItCloses() {
        History h = history(Duration.ofHours(1));

        HistoryView v = h.view();

        assertThat(v.replica()).isEqualTo("router-a");
        assertThat(v.startedAt()).isEqualTo(START);
        assertThat(v.intervalMs()).isEqualTo(10_000);
        assertThat(v.spanMs()).isEqualTo(3_600_000);
        assertThat(v.points()).isEmpty();
        assertThat(v.open().start()).as("points fall on the wall clock's tens of seconds").isEqualTo(Instant.parse("2026-12-01T10:20:00Z"));
        assertThat(v.open().closesInMs()).isEqualTo(6_500);
        advance(Duration.ofMillis(6_499));
        assertThat(h.view().points()).isEmpty();
        advance(Duration.ofMillis(1));
        assertThat(h.view().points()).hasSize(1);
        assertThat(h.view().open().start()).isEqualTo(Instant.parse("2026-12-01T10:20:10Z"));
    }

    @Test
    void shouldKeepOnlyTheSpanAndFillSkippedIntervalsWithEmptyPoints() {
        History h = history(Duration.ofMinutes(1));
        call(Backend.V1, Outcome.SUCCESS, 3, 3);
        advance(Duration.ofSeconds(35));        // 10:20:03.5 -> 10:20:38.5: three intervals left at once

        List<Point> points = h.view().points();
        assertThat(points).extracting(Point::start).containsExactly(Instant.parse("2026-12-01T10:20:00Z"),
                Instant.parse("2026-12-01T10:20:10Z"), Instant.parse("2026-12-01T10:20:20Z"));
        assertThat(points).extracting(p -> p.v1().requests()).containsExactly(3L, 0L, 0L);

        advance(Duration.ofMinutes(10));
        points = h.view().points();
        assertThat(points).as("a minute of 10 s points").hasSize(6);
        assertThat(points.get(5).start()).isEqualTo(Instant.parse("2026-12-01T10:30:20Z"));
        assertThat(points).allMatch(p -> p.v1().requests() == 0);
    }

    @Test
    void shouldCarryTheEffectiveWeightAndTheOutboxLagWhenTheIntervalClosed() {
        AtomicReference<Double> weight = new AtomicReference<>(25.0);
        AtomicReference<Double> lag = new AtomicReference<>(0.0);
        Gauge.builder(EFFECTIVE_WEIGHT, weight::get).register(registry);
        Gauge.builder(OUTBOX_LAG, lag::get).tag(TAG_TARGET, "v2").register(registry);
        History h = history(Duration.ofHours(1));
        weight.set(0.0);
        lag.set(4.5);
        advance(INTERVAL);

        Point p = h.view().points().get(0);

        assertThat(p.v2Weight()).isEqualTo(0.0);
        assertThat(p.outboxLagSeconds()).containsExactly(java.util.Map.entry("v2", 4.5));
    }

    @Test
    void shouldMarkTheLatchAndItsReleaseWhereTheyHappenedOnTheTimeline() {
        History h = history(Duration.ofHours(1));
        advance(Duration.ofSeconds(12));
        latch.latchByHand("V2 errors", "operator@10.0.0.1", null);
        advance(Duration.ofSeconds(20));
        latch.release("V2 fixed", "operator@10.0.0.1");
        latch.release("again: no change", "operator@10.0.0.1");

        List<Mark> marks = h.view().marks();

        assertThat(marks).extracting(Mark::event).containsExactly("latched", "released");
        assertThat(marks.get(0).at()).isEqualTo(Instant.parse("2026-12-01T10:20:15.500Z"));
        assertThat(marks.get(0).reason()).isEqualTo("V2 errors");
        assertThat(marks.get(0).cause()).isEqualTo("operator");
        assertThat(marks.get(0).by()).isEqualTo("operator@10.0.0.1");
        assertThat(marks.get(0).here()).isTrue();
        assertThat(marks.get(1).at()).isEqualTo(Instant.parse("2026-12-01T10:20:35.500Z"));
        advance(Duration.ofMinutes(61));
        assertThat(h.view().marks()).as("older than the span").isEmpty();
    }

    @Test
    void shouldRefuseAnIntervalOrSpanItCannotKeepAndSaySo() {
        assertThatThrownBy(() -> new HistoryRing(Duration.ofMillis(500), Duration.ofHours(1)))
                .hasMessage("cutover.history.interval: PT0.5S (expected: at least 1s)");
        assertThatThrownBy(() -> new HistoryRing(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessage("cutover.history.span: PT5S (expected: at least cutover.history.interval, PT10S)");
        assertThatThrownBy(() -> new HistoryRing(Duration.ofSeconds(1), Duration.ofDays(1)))
                .hasMessageContaining("86400 points (expected: at most 8640");
        assertThat(new HistoryRing(Duration.ofSeconds(10), Duration.ofDays(1)).capacity()).isEqualTo(8640);
    }
}
