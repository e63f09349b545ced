package io.cutover.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cutover.observability.Tracing;
import io.cutover.policy.PolicyStore;
import io.cutover.policy.TrafficPolicy;
import io.cutover.backend.BackendClients;
import io.cutover.resilience.BackendBreakers;
import io.cutover.routing.Backend;
import io.cutover.routing.RequestKind;
import io.cutover.tenant.TenantResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Shadow reads: a sampled read (policy {@code shadowReads}, by key, see {@link ShadowSampler})
 * is, once its answer has reached the client, sent again to the primary and once to the other
 * side, off the client's path. The secondary's answer is compared with the client's after
 * normalisation ({@link JsonComparison}); fields that also differ between the primary's two
 * answers are noise (as Diffy does) and are not counted as a mismatch, then or later on that route.
 *
 * <p>The shadow calls go straight to the backends' HTTP clients, not through the breakers, the
 * metrics of client requests or the rollback guard: they never trip a breaker or a rollback.
 * While the other side's breaker is not closed, nothing is shadowed to it.
 */
@Singleton
public class ShadowReads {

    private static final Logger LOG = Logger.getLogger(ShadowReads.class);
    /** Sent with every shadow call, so that a backend can tell them apart. */
    public static final String SHADOW_HEADER = "X-Cutover-Shadow";
    private static final String STATUS_PATH = "(status)";
    private static final int MAX_LEARNED_NOISE = 1000;

    private final Vertx vertx;
    private final BackendClients clients;
    private final BackendBreakers breakers;
    private final PolicyStore policies;
    private final ShadowStore store;
    private final ShadowMetrics metrics;
    private final Clock clock;
    private final String tenantHeader;
    private final JsonComparison comparison;
    private final ObjectMapper json;
    private final int maxBody;
    private final int maxInFlight;
    private final Tracing tracing;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Per route, generalised paths seen to differ between two answers of the primary. */
    private final Map<RequestKind.Route, Set<String>> learnedNoise = new ConcurrentHashMap<>();

    ShadowReads(Vertx vertx, BackendClients clients, BackendBreakers breakers, PolicyStore policies, ShadowStore store,
                MeterRegistry registry, Clock clock, TenantResolver tenants, ShadowConfig config, Tracing tracing) {
        this.tracing = tracing;
        this.vertx = vertx;
        this.clients = clients;
        this.breakers = breakers;
        this.policies = policies;
        this.store = store;
        this.clock = clock;
        this.metrics = new ShadowMetrics(registry, config.maxTenantTags());
        this.tenantHeader = tenants.header();
        this.comparison = new JsonComparison(config.ignoredPaths(), config.timestampPrecision());
        this.json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        this.maxBody = (int) Math.min(Integer.MAX_VALUE, config.maxBody().asLongValue());
        this.maxInFlight = config.maxInFlight();
    }

    /** Whether this request is a read to shadow: a GET on a migrating path, sampled by its key. */
    public boolean sampled(TrafficPolicy policy, RequestKind kind, HttpMethod method, String tenant, String uri) {
        return method == HttpMethod.GET && kind.migrating() && !kind.write()
                && ShadowSampler.sampled(policy.shadowReads(), policy.stickySalt(), kind.route(), tenant, uri);
    }

    /**
     * Starts keeping the client's answer of a sampled read, or returns {@code null} (counted) when
     * it will not be compared: not 2xx/4xx, not JSON, or declared larger than {@code max-body}.
     */
    public Capture capture(int status, MultiMap headers) {
        if (!(status >= 200 && status < 300 || status >= 400 && status < 500)) {
            metrics.skipped("status");
            return null;
        }
        if (!isJson(headers.get(HttpHeaders.CONTENT_TYPE))) {
            metrics.skipped("not-json");
            return null;
        }
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBody) {
            metrics.skipped("too-large");
            return null;
        }
        return new Capture(status, maxBody);
    }

    /** A read whose answer reached the client whole: shadow it, off the client's path (call on its event loop). */
    public void shadow(Read read, Capture primaryAnswer) {
        if (primaryAnswer.overflow) {
            metrics.skipped("too-large");
            return;
        }
        Backend secondary = read.primary().other();
        if (breakers.state(secondary) != CircuitBreakerState.CLOSED) {
            metrics.skipped("breaker-open");
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            metrics.skipped("overloaded");
            return;
        }
        // under the forward it shadows (whose traceparent the read's headers carry), one span per call
        Tracing.Call span = tracing.internal(tracing.fromTraceparent(read.headers().get(Tracing.TRACEPARENT)), "shadow read");
        Future<Answer> again = call(read, read.primary(), span);
        Future<Answer> other = call(read, secondary, span);
        Future.join(again, other).onComplete(both -> {
            if (other.failed() || again.failed()) {
                inFlight.decrementAndGet();
                span.end(0, other.failed() ? other.cause() : again.cause());
                Throwable cause = other.failed() ? other.cause() : again.cause();
                metrics.skipped(cause instanceof TooLarge ? "too-large" : other.failed() ? "secondary-failed" : "primary-failed");
                LOG.debugf("shadow read %s %s: %s", read.method(), read.uri(), cause.toString());
                return;
            }
            vertx.executeBlocking(() -> {
                judge(read, primaryAnswer.status, primaryAnswer.body, again.result(), other.result());
                return null;
            }, false).onComplete(done -> {
                inFlight.decrementAndGet();
                span.end(0, done.cause());
                if (done.failed()) {
                    LOG.warnf(done.cause(), "shadow read %s %s: comparison failed", read.method(), read.uri());
                }
            });
        });
    }

    /** Compares the three answers (on a worker thread) and records the outcome. */
    void judge(Read read, int status, Buffer body, Answer again, Answer other) {
        JsonNode first = parse(body);
        List<Difference> noise = comparison.compare(first, parse(again.body()));
        List<Difference> raw = comparison.compare(first, parse(other.body()));
        if (status != again.status()) {
            noise.add(0, new Difference(STATUS_PATH, Integer.toString(status), Integer.toString(again.status())));
        } else if (status != other.status()) {
            raw.add(0, new Difference(STATUS_PATH, Integer.toString(status), Integer.toString(other.status())));
        }
        Set<String> learned = learnedNoise.computeIfAbsent(read.kind().route(), r -> ConcurrentHashMap.newKeySet());
        for (Difference d : noise) {
            if (!d.path().equals("$") && !d.path().equals(STATUS_PATH) && learned.size() < MAX_LEARNED_NOISE) {
                learned.add(JsonComparison.generalise(d.path()));
            }
        }
        List<Difference> real = new ArrayList<>(raw.size());
        for (Difference d : raw) {
            if (!isNoise(d.path(), noise, learned)) {
                real.add(d);
            }
        }
        metrics.compared(read.kind().route(), read.tenant(), read.primary(), !real.isEmpty(), !noise.isEmpty());
        if (!real.isEmpty()) {
            store.add(new ShadowStatus.Recent(clock.instant(), read.kind().route().tag(), read.tenant(), read.method(),
                    read.uri(), read.primary().id(), status, other.status(), List.copyOf(real)));
        }
    }

    private static boolean isNoise(String path, List<Difference> noise, Set<String> learned) {
        if (path.equals(STATUS_PATH)) {
            return false;
        }
        for (Difference n : noise) {
            if (JsonComparison.within(path, n.path())) {
                return true;
            }
        }
        String general = JsonComparison.generalise(path);
        for (String l : learned) {
            if (JsonComparison.within(general, l)) {
                return true;
            }
        }
        return false;
    }

    /** Parses an answer; one that is not JSON stands as its text, so it differs from any JSON answer at {@code $}. */
    private JsonNode parse(Buffer body) {
        try {
            return json.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            String text = body.toString(StandardCharsets.UTF_8);
            return TextNode.valueOf(text.length() > JsonComparison.MAX_VALUE ? text.substring(0, JsonComparison.MAX_VALUE) : text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One shadow call: the same GET, headers and tenant, to one backend, its answer read up to {@code max-body}. */
    private Future<Answer> call(Read read, Backend backend, Tracing.Call shadowSpan) {
        BackendClients.Target t = clients.target(backend);
        MultiMap headers = HttpHeaders.headers().addAll(read.headers());
        if (backend == Backend.V2) {
            headers.set(tenantHeader, read.tenant());
        } else {
            headers.remove(tenantHeader);
        }
        headers.set(SHADOW_HEADER, "true");
        Tracing.Call span = tracing.client(shadowSpan.context(), "shadow read", backend, "GET", read.uri(), headers);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(t.host())
                .setPort(t.port())
                .setURI(t.basePath().isEmpty() ? read.uri() : t.basePath() + read.uri())
                .setHeaders(headers)
                .setConnectTimeout(t.connectTimeoutMs())
                .setIdleTimeout(t.responseTimeoutMs());
        return clients.client(backend).request(options)
                .compose(req -> req.send())
                .compose(this::read)
                .onComplete(ar -> span.end(ar.succeeded() ? ar.result().status() : 0, ar.cause()));
    }

    private Future<Answer> read(HttpClientResponse resp) {
        String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBody) {
            resp.request().reset();
            return Future.failedFuture(new TooLarge());
        }
        Promise<Answer> done = Promise.promise();
        Buffer acc = Buffer.buffer();
        resp.handler(chunk -> {
            if (acc.length() + chunk.length() > maxBody) {
                resp.handler(null);
                resp.request().reset();
                done.tryFail(new TooLarge());
            } else {
                acc.appendBuffer(chunk);
            }
        });
        resp.exceptionHandler(done::tryFail);
        resp.endHandler(v -> done.tryComplete(new Answer(resp.statusCode(), acc)));
        return done.future();
    }

    /** This replica's figures and the last differences, for the admin API. */
    public Uni<ShadowStatus> status() {
        double rate = policies.policy().shadowReads();
        return store.recent().map(recent -> {
            List<ShadowStatus.RouteFigures> routes = new ArrayList<>(metrics.figures());
            routes.sort(Comparator.comparing(ShadowStatus.RouteFigures::route).thenComparing(ShadowStatus.RouteFigures::tenant));
            long compared = 0;
            long mismatched = 0;
            long noise = 0;
            for (ShadowStatus.RouteFigures f : routes) {
                compared += f.compared();
                mismatched += f.mismatched();
                noise += f.noise();
            }
            return new ShadowStatus(rate, compared, mismatched, ShadowStatus.rate(mismatched, compared), noise, routes, recent);
        });
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String ct = contentType.toLowerCase(java.util.Locale.ROOT);
        int semi = ct.indexOf(';');
        String type = (semi < 0 ? ct : ct.substring(0, semi)).trim();
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** What the proxy knows of a read to shadow; {@code headers} are those sent to the backend (a copy). */
    public record Read(RequestKind kind, String tenant, String method, String uri, MultiMap headers, Backend primary) {
    }

    record Answer(int status, Buffer body) {
    }

    /** The client's answer of a sampled read, kept as it is relayed, up to {@code max-body}. */
    public static final class Capture implements Handler<Buffer> {
        private final int status;
        private final int limit;
        private final Buffer body = Buffer.buffer();
        private boolean overflow;

        Capture(int status, int limit) {
            this.status = status;
            this.limit = limit;
        }

        @Override
        public void handle(Buffer chunk) {
            if (overflow) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                overflow = true;
                return;
            }
            body.appendBuffer(chunk);
        }
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("answer larger than cutover.shadow.max-body", null, false, false);
        }
    }
}
