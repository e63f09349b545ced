package io.cutover.proxy;

import io.cutover.clock.Ticker;
import io.cutover.observability.MetricNames;
import io.cutover.observability.Tracing;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.cutover.routing.RoutingDecision.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.Queue;
import io.netty.util.internal.PlatformDependent;
import org.jboss.logging.Logger;

/**
 * The access log: one JSON line per proxied request, like Envoy's. On the event loop a request costs one small
 * object and a queue offer ({@link #finished}); the line is built and written by a thread of its own, through the
 * log category {@value #CATEGORY}, whose handler (application.yml) prints the bare line on stdout. A full queue drops
 * the line and counts it rather than making the event loop wait.
 */
@Singleton
public class AccessLog {

    /** The log category the lines are written to: route it elsewhere with the standard {@code quarkus.log.*} keys. */
    public static final String CATEGORY = "cutover.access";
    static final String DEFAULT_SAMPLE = "1";
    static final String DEFAULT_QUEUE = "8192";

    private static final Logger OUT = Logger.getLogger(CATEGORY);
    private static final Logger LOG = Logger.getLogger(AccessLog.class);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    static final long WRITE_EVERY_MS = 20;
    static final int LINES_PER_RECORD = 256;

    /**
     * What the line says, read on the event loop; formatted on the writer thread. {@code refusal}: why the router
     * answered a routed request itself without a backend's answer (the reason of
     * {@code cutover_requests_rejected_total}), else {@code null}; {@code outcome} is then the failed attempt's,
     * or {@code null} when no backend was asked.
     */
    record Entry(long startMillis, String method, String uri, String route, int status, Backend backend, boolean fallback,
                 Reason reason, Outcome outcome, String refusal, String tenant, long bytesIn, long bytesOut,
                 long totalNanos, long upstreamNanos, String traceId, UUID outboxId, boolean warmUp) {
    }

    /** The outcome of a line whose request the router refused before any backend was asked. */
    static final String REFUSED = "refused";

    private final boolean enabled;
    private final double sample;
    private final AccessLogConfig.TenantForm tenantForm;
    private final Clock clock;
    private final Ticker ticker;
    private final Tracing tracing;
    private final Queue<Entry> queue;
    private final Counter dropped;
    private final Thread writer;
    private volatile boolean running = true;

    AccessLog(AccessLogConfig config, Clock clock, Ticker ticker, Tracing tracing, MeterRegistry registry) {
        if (!(config.sample() >= 0 && config.sample() <= 1)) {
            throw new IllegalArgumentException("cutover.access-log.sample: " + config.sample() + " (expected: 0 to 1)");
        }
        if (config.queueSize() < 1) {
            throw new IllegalArgumentException("cutover.access-log.queue-size: " + config.queueSize() + " (expected: > 0)");
        }
        this.enabled = config.enabled();
        this.sample = config.sample();
        this.tenantForm = config.tenant();
        this.clock = clock;
        this.ticker = ticker;
        this.tracing = tracing;
        // many event loops offer, one writer polls: bounded, lock-free, and no signal per request
        this.queue = PlatformDependent.newFixedMpscQueue(config.queueSize());
        this.dropped = Counter.builder(MetricNames.ACCESS_LOG_DROPPED)
                .description("Access log lines dropped because the writer fell behind (cutover.access-log.queue-size)")
                .register(registry);
        this.writer = new Thread(this::drain, "cutover-access-log");
        writer.setDaemon(true);
        if (enabled) {
            writer.start();
        }
    }

    /** The exchange starts now, within the trace current on this thread (its server span). */
    void begin(Exchange x) {
        if (enabled || tracing.enabled()) {
            x.startNanos = ticker.nanos();
            x.startMillis = clock.millis();
            x.trace = tracing.current();
        }
    }

    /** The answer has ended (or failed): queue its line, unless sampled out. Call on the request's event loop. */
    void finished(Exchange x, Backend backend, Outcome outcome) {
        finished(x, backend, outcome, null);
    }

    /**
     * The router answered a routed request itself ({@code refusal}: why, e.g. {@code in-doubt}): queue its line.
     * {@code backend} and {@code outcome}: the attempt that failed before, if any.
     */
    void refused(Exchange x, Backend backend, Outcome outcome, String refusal) {
        finished(x, backend, outcome, refusal);
    }

    private void finished(Exchange x, Backend backend, Outcome outcome, String refusal) {
        if (!enabled) {
            return;
        }
        int status = x.response.getStatusCode();
        if (sample < 1 && !kept(sample, status, x.fallback, ThreadLocalRandom.current().nextDouble())) {
            return;
        }
        Entry e = new Entry(x.startMillis, x.method.name(), x.uri, x.kind.route().tag(), status, backend, x.fallback,
                x.reason, outcome, refusal, x.tenant, x.body.length(), x.response.bytesWritten(), ticker.nanos() - x.startNanos,
                x.upstreamNanos, tracing.traceId(x.trace, x.request.getHeader(Tracing.TRACEPARENT)),
                x.ticket == null ? null : x.ticket.intent().id(), x.warmUp);
        if (!queue.offer(e)) {
            dropped.increment();
        }
    }

    /** Whether a request's line is written: always for a 5xx or a fallback, else when {@code random} falls under the sample. */
    static boolean kept(double sample, int status, boolean fallback, double random) {
        return status >= 500 || fallback || random < sample;
    }

    /**
     * The writer: wakes every {@value #WRITE_EVERY_MS} ms (the event loop never signals it: a wake-up per request cost
     * a futex call on the request path) and writes what queued as one record of up to {@value #LINES_PER_RECORD}
     * lines (one write and one flush of the console for many requests).
     */
    private void drain() {
        MessageDigest sha256 = sha256();
        StringBuilder line = new StringBuilder(512);
        StringBuilder record = new StringBuilder(64 * 1024);
        while (running || !queue.isEmpty()) {
            Entry e = queue.poll();
            if (e == null) {
                LockSupport.parkNanos(WRITE_EVERY_MS * 1_000_000L);
                continue;
            }
            record.setLength(0);
            int n = 0;
            do {
                try {
                    line.setLength(0);
                    CharSequence formatted = format(e, line, sha256);
                    if (e.warmUp()) {
                        continue;       // formatted as any line is (the warm-up's point), written nowhere
                    }
                    if (n > 0) {
                        record.append('\n');
                    }
                    record.append(formatted);
                    n++;
                } catch (RuntimeException failed) {
                    LOG.warn("access log line not written", failed);
                }
            } while (n < LINES_PER_RECORD && (e = queue.poll()) != null);
            if (n > 0) {
                OUT.info(record);
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        writer.interrupt();
    }

    String format(Entry e, StringBuilder b, MessageDigest sha256) {
        int q = e.uri().indexOf('?');
        b.append("{\"time\":\"").append(Instant.ofEpochMilli(e.startMillis())).append('"');
        b.append(",\"method\":");
        string(b, e.method());
        b.append(",\"path\":");
        string(b, q < 0 ? e.uri() : e.uri().substring(0, q));
        b.append(",\"query\":").append(q >= 0);
        b.append(",\"route\":\"").append(e.route()).append('"');
        b.append(",\"status\":").append(e.status());
        b.append(",\"backend\":");
        if (e.backend() == null) {
            b.append("null");
        } else {
            b.append('"').append(e.backend().id()).append('"');
        }
        b.append(",\"fallback\":").append(e.fallback());
        b.append(",\"reason\":");
        if (e.reason() == null) {
            b.append("null");
        } else {
            b.append('"').append(e.reason().tag()).append('"');
        }
        b.append(",\"outcome\":\"").append(e.outcome() == null ? REFUSED : e.outcome().tag()).append('"');
        if (e.refusal() != null) {
            b.append(",\"refusal\":\"").append(e.refusal()).append('"');
        }
        switch (tenantForm) {
            case PLAIN -> {
                b.append(",\"tenant\":");
                string(b, e.tenant());
            }
            case HASH -> b.append(",\"tenant_hash\":\"").append(hash(sha256, e.tenant())).append('"');
            case NONE -> {
            }
        }
        b.append(",\"bytes_in\":").append(e.bytesIn());
        b.append(",\"bytes_out\":").append(e.bytesOut());
        b.append(",\"duration_ms\":");
        millis(b, e.totalNanos());
        b.append(",\"upstream_ms\":");
        if (e.upstreamNanos() > 0) {
            millis(b, e.upstreamNanos());
        } else {
            b.append("null");
        }
        b.append(",\"trace_id\":");
        if (e.traceId() == null) {
            b.append("null");
        } else {
            b.append('"').append(e.traceId()).append('"');
        }
        b.append(",\"outbox_id\":");
        if (e.outboxId() == null) {
            b.append("null");
        } else {
            b.append('"').append(e.outboxId()).append('"');
        }
        return b.append('}').toString();
    }

    /** Milliseconds with three decimals (microseconds), without a locale or String.format. */
    private static void millis(StringBuilder b, long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        b.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    /** A JSON string: quote, backslash and control characters escaped (the rest of Unicode as is, UTF-8 on output). */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static String hash(MessageDigest sha256, String tenant) {
        byte[] d = sha256.digest(tenant.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[d[i] & 0xf];
        }
        return new String(out);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
