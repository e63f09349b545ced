package io.cutover.history;

import static io.cutover.observability.MetricNames.BACKEND_LATENCY;
import static io.cutover.observability.MetricNames.EFFECTIVE_WEIGHT;
import static io.cutover.observability.MetricNames.REQUESTS;
import static io.cutover.observability.MetricNames.TAG_BACKEND;
import static io.cutover.observability.MetricNames.TAG_OUTCOME;

import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads what the request path already counts ({@code cutover.requests}, {@code cutover.backend.latency},
 * {@code cutover.traffic.v2.weight}): the ring adds no counting of its own to a request. Looked up anew at
 * each read (a few dozen meters, once per interval), so that it does not matter who registers them first.
 */
final class RouterMeters {

    private static final Map<String, Outcome> OUTCOMES = Arrays.stream(Outcome.values())
            .collect(Collectors.toUnmodifiableMap(Outcome::tag, Function.identity()));

    private final MeterRegistry registry;

    RouterMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The backend's counts so far. Breaker-open counts as a failed request, as the rollback guard counts it. */
    BackendTotals totals(Backend backend) {
        long requests = 0;
        long failures = 0;
        for (Counter c : registry.find(REQUESTS).tag(TAG_BACKEND, backend.id()).counters()) {
            Outcome o = OUTCOMES.get(c.getId().getTag(TAG_OUTCOME));
            if (o == null || o == Outcome.CLIENT_ABORTED) {
                continue;
            }
            long n = (long) c.count();
            requests += n;
            if (o.isFailure() || o == Outcome.BREAKER_OPEN) {
                failures += n;
            }
        }
        Timer latency = registry.find(BACKEND_LATENCY).tag(TAG_BACKEND, backend.id()).timer();
        if (latency == null) {
            return new BackendTotals(requests, failures, new double[0], new long[0], 0);
        }
        HistogramSnapshot s = latency.takeSnapshot();
        CountAtBucket[] buckets = Arrays.stream(s.histogramCounts())
                .filter(b -> Double.isFinite(b.bucket()))
                .toArray(CountAtBucket[]::new);
        double[] bounds = new double[buckets.length];
        long[] counts = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
            counts[i] = (long) buckets[i].count();
        }
        return new BackendTotals(requests, failures, bounds, counts, s.count());
    }

    /** The V2 weight in force now, or null before the gauge exists. */
    Double effectiveWeight() {
        Gauge g = registry.find(EFFECTIVE_WEIGHT).gauge();
        return g == null ? null : g.value();
    }
}
