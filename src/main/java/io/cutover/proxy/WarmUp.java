package io.cutover.proxy;

import io.cutover.backend.BackendClients;
import io.cutover.backend.BackendsConfig;
import io.cutover.clock.Ticker;
import io.cutover.observability.RouterMetrics;
import io.cutover.observability.Tracing;
import io.cutover.policy.PolicyStore;
import io.cutover.resilience.BackendBreakers;
import io.cutover.resilience.CallObservers;
import io.cutover.rollback.RollbackConfig;
import io.cutover.rollback.RollbackGuard;
import io.cutover.routing.Backend;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.net.URI;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Warms the request path before the router reports ready. A JVM starts on interpreted code: the router's first
 * seconds under load ran at a tenth of its steady speed while the JIT compiled the path that every request takes
 * (bench/RESULTS.md). So, once the HTTP server listens, the router sends itself {@code cutover.warm-up.requests}
 * requests (reads and writes, half of them as V2's and half as V1's) through its own port, its own edge and its own
 * forwarding path, to a stand-in backend it starts on loopback for the purpose, and reports ready when they are done
 * (or after {@code cutover.warm-up.max-duration}, whatever happened).
 *
 * <p>A warm-up request reaches neither V1 nor V2, and counts nowhere a user looks: no breaker, no rollback guard, no
 * metric, no access-log line, no span, no shadow read, no outbox row. It is known by a header carrying a random token
 * made at start, honoured only while the warm-up runs ({@link #carries}), so a client can never have its request
 * treated as one.
 */
@Singleton
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    static final String HEADER = "X-Cutover-Warm-Up";
    /** What the stand-in answers a read: a device as the reference API has one, about the size of a real answer. */
    private static final Buffer READ_ANSWER = Buffer.buffer("{\"id\":\"dev-1\",\"name\":\"boiler room sensor\","
            + "\"type\":\"thermostat\",\"status\":\"active\",\"firmware\":\"2.4.1\",\"location\":{\"site\":\"plant-7\","
            + "\"floor\":2},\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-02T00:00:00Z\"}");
    private static final Buffer WRITE_BODY = Buffer.buffer("{\"name\":\"warm-up\",\"type\":\"thermostat\",\"status\":\"active\"}");

    private final WarmUpConfig config;
    private final Ticker ticker;
    private final Supplier<Bookkeeping> booksMaker;
    private final boolean traced;
    private final String token;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger primaries = new AtomicInteger();
    private final Map<Backend, BackendClients.Target> standIns = new EnumMap<>(Backend.class);
    /** While true, a request with the token is a warm-up request: read on every request, false for ever after. */
    private volatile boolean active;
    /** The warm-up's own meters, breakers and guard, while it runs. */
    private volatile Bookkeeping books;
    private volatile boolean done;
    private volatile boolean stopping;
    private volatile String outcome = "not started";

    WarmUp(WarmUpConfig config, Ticker ticker, MeterRegistry registry, BackendsConfig backends,
           CircuitBreakerMaintenance maintenance, PolicyStore policies, RollbackConfig rollback, Tracing tracing) {
        this.config = config;
        this.traced = tracing.enabled();
        this.ticker = ticker;
        this.booksMaker = () -> new Bookkeeping(RouterMetrics.detached(registry),
                BackendBreakers.named("warm-up-", backends, ticker, maintenance),
                new CallObservers(RollbackGuard.gatheringOnly(ticker, () -> policies.policy().rollback(), rollback.v1Margin())));
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random);
        this.done = !config.enabled() || config.requests() <= 0;
        if (done) {
            outcome = "off";
        }
    }

    /** Whether the router has warmed up (or needs not): its readiness waits for it. */
    public boolean done() {
        return done;
    }

    /** What the warm-up did (or is doing), for the readiness report. */
    public String outcome() {
        return active ? String.format("running: %d of %d requests sent", sent.get(), config.requests()) : outcome;
    }

    /** A warm-up request: only while the warm-up runs, and only with this start's token. */
    boolean carries(HttpServerRequest req) {
        return active && token.equals(req.getHeader(HEADER));
    }

    /** Where a warm-up request to {@code backend} goes instead: the stand-in, with that backend's timeouts. */
    BackendClients.Target standIn(Backend backend) {
        return standIns.get(backend);
    }

    /** What a warm-up request is counted in: built as the router's own are, looked at by nobody. */
    Bookkeeping books() {
        return books;
    }

    /** The side a warm-up request takes: V2 and V1 in turn, so that both paths (the replay window's too) warm. */
    Backend primary() {
        return (primaries.getAndIncrement() & 1) == 0 ? Backend.V2 : Backend.V1;
    }

    void start(@ObservesAsync HttpServerStart start, Vertx vertx, Instance<HttpServer> server, BackendClients clients) {
        if (done) {
            return;
        }
        URI base;
        try {
            base = server.get().getLocalBaseUri();
        } catch (RuntimeException e) {
            finish("skipped: the router's own address is not known (" + e.getMessage() + ")");
            return;
        }
        long began = System.nanoTime();
        io.vertx.core.http.HttpServer standIn = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(WarmUp::answer);
        books = booksMaker.get();
        standIn.listen().compose(listening -> {
            for (Backend b : Backend.values()) {
                BackendClients.Target real = clients.target(b);
                standIns.put(b, new BackendClients.Target(b, "127.0.0.1", listening.actualPort(), "", real.options(), real.pool(),
                        real.connectTimeoutMs(), real.responseTimeoutMs()));
            }
            active = true;
            String host = base.getHost() == null || base.getHost().equals("0.0.0.0") || base.getHost().equals("[::]")
                    ? "127.0.0.1" : base.getHost();
            return drive(vertx, host, base.getPort(), ticker.nanos() + config.maxDuration().toNanos());
        }).onComplete(ar -> {
            active = false;
            standIn.close();
            books = null;
            long ms = (System.nanoTime() - began) / 1_000_000;
            if (ar.succeeded()) {
                finish(String.format("%d requests in %d ms", sent.get(), ms));
            } else {
                finish(String.format("ended early after %d requests in %d ms (%s)", sent.get(), ms, ar.cause().getMessage()));
            }
        });
    }

    private void finish(String what) {
        outcome = what;
        done = true;
        LOG.infof("warm-up: %s; ready", what);
    }

    /**
     * One request alone first (it installs the slow-client guard's hook on the listener, so that the connections opened
     * next are accepted as clients' are: edge/SlowClientGuard), then {@code connections} requests in flight until enough
     * were sent or the time is up.
     */
    private Future<Void> drive(Vertx vertx, String host, int port, long deadline) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost(host).setDefaultPort(port), new PoolOptions().setHttp1MaxSize(config.connections()));
        Promise<Void> all = Promise.promise();
        AtomicInteger failures = new AtomicInteger();
        Promise<Void> first = Promise.promise();
        next(client, 1, deadline, failures, first::complete);
        first.future().onComplete(v -> {
            AtomicInteger running = new AtomicInteger(config.connections());
            for (int c = 0; c < config.connections(); c++) {
                next(client, config.requests(), deadline, failures, () -> {
                    if (running.decrementAndGet() == 0) {
                        client.close();
                        if (failures.get() > 0 && sent.get() == failures.get()) {
                            all.fail("every warm-up request failed");
                        } else {
                            all.complete();
                        }
                    }
                });
            }
        });
        return all.future();
    }

    /** The router is stopping: the warm-up sends nothing more. */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void next(HttpClient client, int upTo, long deadline, AtomicInteger failures, Runnable chainEnded) {
        int n = sent.getAndIncrement();
        if (n >= upTo || stopping || ticker.nanos() > deadline || failures.get() > 100) {
            sent.decrementAndGet();
            chainEnded.run();
            return;
        }
        RequestOptions r = request(n);
        client.request(r)
                .compose(req -> r.getMethod() == HttpMethod.GET ? req.send() : req.send(WRITE_BODY))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    if (ar.failed() || ar.result() >= 400) {
                        if (failures.incrementAndGet() == 1) {
                            LOG.debugf("warm-up request %s %s: %s", r.getMethod(), r.getURI(),
                                    ar.failed() ? ar.cause().toString() : "status " + ar.result());
                        }
                    }
                    next(client, upTo, deadline, failures, chainEnded);
                });
    }

    /**
     * The n-th request: mostly reads of one device, some lists, some writes, with the headers clients send; one in a
     * hundred closes its connection (clients come and go). With tracing on, its trace context says "not sampled": no span
     * of it is exported.
     */
    private RequestOptions request(int n) {
        RequestOptions r = new RequestOptions().addHeader(HEADER, token)
                .addHeader("X-Tenant-Id", "tenant-" + (n % 1000))
                .addHeader(HttpHeaders.ACCEPT, "application/json")
                .addHeader(HttpHeaders.USER_AGENT, "cutover-warm-up");
        if (traced) {
            r.addHeader("traceparent", String.format("00-%032x-%016x-00", n + 1, n + 1));  // 00: not sampled
        }
        if (n % 100 == 99) {
            r.addHeader(HttpHeaders.CONNECTION, "close");
        }
        switch (n & 7) {
            case 5 -> r.setMethod(HttpMethod.GET).setURI("/api/devices?limit=10&page=" + (n % 7));
            case 6 -> r.setMethod(HttpMethod.PUT).setURI("/api/devices/dev-" + (n % 50))
                    .addHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            case 7 -> r.setMethod(HttpMethod.POST).setURI("/api/devices/dev-" + (n % 50) + "/telemetry")
                    .addHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            default -> r.setMethod(HttpMethod.GET).setURI("/api/devices/dev-" + (n % 50));
        }
        return r;
    }

    /** The stand-in backend, answering as web servers do: a read gets a device, a write gets its body back. */
    private static void answer(HttpServerRequest req) {
        req.response().putHeader(HttpHeaders.SERVER, "cutover-warm-up")
                .putHeader(HttpHeaders.DATE, DATE)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (req.method() == HttpMethod.GET) {
            req.response().putHeader(HttpHeaders.ETAG, "\"w1\"").end(READ_ANSWER);
            return;
        }
        req.body().onComplete(body -> req.response().setStatusCode(req.method() == HttpMethod.POST ? 201 : 200)
                .end(body.succeeded() ? body.result() : Buffer.buffer()));
    }

    private static final String DATE = "Mon, 07 Dec 2026 00:00:00 GMT";
}
