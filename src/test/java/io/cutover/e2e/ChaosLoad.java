package io.cutover.e2e;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Virtual clients calling the routers behind a load balancer: mixed reads and writes of devices
 * and telemetry over many tenants (trusted tenant header), recording every acknowledged write and
 * every read outcome, per phase.
 *
 * <p>The load balancer's rules, which decide what counts as a client error:
 * <ul>
 * <li>Requests go round-robin to the routers in the pool. A router leaves the pool once the test
 *     has killed it and comes back once its restart is ready (a load balancer's health check).
 * <li>A request that fails at the connection level (refused, reset, closed) on the router being
 *     killed (from just before the SIGKILL until its restart is ready) is retried on another
 *     router, as a load balancer does with a dead upstream; it is counted as
 *     {@code retriedAfterKill}, not as an error. The same failure on a live router is an error.
 * <li>A read answered 2xx is fine; 404 for a device this client created is counted as a stale read
 *     (the create may still be on its way to the side now serving the tenant), not an error; any
 *     other answer from a router is an error.
 * <li>A write carries an {@code Idempotency-Key}; on a 5xx or a connection failure the client
 *     retries it with the same key (up to {@link #WRITE_ATTEMPTS} attempts), as the README tells
 *     clients to. A write is acknowledged once an attempt answers 2xx; a 4xx ends it, not written.
 *     A write that never got an answer is "unsure": it may or may not have been applied.
 * </ul>
 * Each device is written by one client only, so the writes of one device are sequential and its
 * final state is known: the last acknowledged write, or one of the unsure writes after it.
 */
final class ChaosLoad {

    static final String TENANT_HEADER = "X-Tenant-Id";
    static final int WRITE_ATTEMPTS = 6;
    private static final int DEVICES_PER_TENANT = 6;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /** One router behind the load balancer. */
    static final class Router {
        final String name;
        final int port;
        volatile boolean inPool = true;
        volatile boolean killed;
        volatile HttpClient client = newClient();

        Router(String name, int port) {
            this.name = name;
            this.port = port;
        }

        /**
         * Set just before the test kills it: from now on a connection failure on this router is
         * the kill's doing (its in-flight requests die with it), and the request goes elsewhere.
         */
        void markKilled() {
            killed = true;
        }

        /** Taken out of the pool once dead (the load balancer's health check noticed). */
        void markDown() {
            inPool = false;
        }

        /** Back in the pool with fresh connections: its restart is ready. */
        void markUp() {
            client = newClient();
            killed = false;
            inPool = true;
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        private static HttpClient newClient() {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
        }
    }

    /** A device owned by one client: what was acknowledged, what may have been applied. */
    static final class Device {
        final String tenant;
        final String id;
        volatile JsonObject acked;             // fields of the last acknowledged create or replace
        volatile boolean createUnsure;         // the create never got an answer
        final List<JsonObject> unsure = new CopyOnWriteArrayList<>(); // replaces after `acked` without an answer
        final Set<Long> readings = ConcurrentHashMap.newKeySet();      // acknowledged telemetry reading ids
        final AtomicInteger unsureReadings = new AtomicInteger();
        int seq;

        Device(String tenant, String id) {
            this.tenant = tenant;
            this.id = id;
        }
    }

    /** Counts of one phase. */
    static final class Phase {
        final String name;
        final LongAdder reads = new LongAdder();
        final LongAdder readsByV1 = new LongAdder();
        final LongAdder readsByV2 = new LongAdder();
        final LongAdder stale404 = new LongAdder();
        final LongAdder readErrors = new LongAdder();
        final LongAdder retriedAfterKill = new LongAdder();
        final LongAdder writesAcked = new LongAdder();
        final LongAdder writesAckedByV1 = new LongAdder();
        final LongAdder writesAckedByV2 = new LongAdder();
        final LongAdder writeAttemptsFailed = new LongAdder();
        final LongAdder writesRejected = new LongAdder();
        final LongAdder writesUnsure = new LongAdder();
        final long startNanos = System.nanoTime();
        volatile Map<String, Long> fallbacksAtStart = Map.of();
        volatile long fallbacks;
        volatile long millis;

        Phase(String name) {
            this.name = name;
        }

        long ops() {
            return reads.sum() + writesAcked.sum() + writesRejected.sum() + writesUnsure.sum();
        }

        String summary() {
            return String.format("%-22s %6d ms  reads %5d (v1 %5d, v2 %5d, stale404 %3d, errors %d)  "
                            + "writes acked %5d (v1 %5d, v2 %5d) rejected %3d unsure %d, failed attempts %4d  "
                            + "retried after kill %3d  fallbacks %5d",
                    name, millis, reads.sum(), readsByV1.sum(), readsByV2.sum(), stale404.sum(), readErrors.sum(),
                    writesAcked.sum(), writesAckedByV1.sum(), writesAckedByV2.sum(), writesRejected.sum(),
                    writesUnsure.sum(), writeAttemptsFailed.sum(), retriedAfterKill.sum(), fallbacks);
        }
    }

    /** A read a client would have noticed. */
    record ReadError(String phase, String router, String request, String outcome) {
    }

    private final List<Router> routers;
    private final int clients;
    private final int tenantsPerClient;
    private final long pauseMillis;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final Map<String, List<Device>> devicesByTenant = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ReadError> readErrors = new ConcurrentLinkedQueue<>();
    private final List<Phase> phases = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile Phase current;
    private volatile boolean stop;

    ChaosLoad(List<Router> routers, int clients, int tenantsPerClient, long pauseMillis) {
        this.routers = routers;
        this.clients = clients;
        this.tenantsPerClient = tenantsPerClient;
        this.pauseMillis = pauseMillis;
        this.current = new Phase("warm-up");
        phases.add(current);
    }

    /** All tenant names, {@code tenant-00} and on. */
    List<String> tenants() {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < clients * tenantsPerClient; i++) {
            t.add(String.format("tenant-%02d", i));
        }
        return t;
    }

    void start() {
        List<String> tenants = tenants();
        for (int c = 0; c < clients; c++) {
            List<String> own = new ArrayList<>();
            for (int i = c; i < tenants.size(); i += clients) {
                own.add(tenants.get(i));
                devicesByTenant.put(tenants.get(i), new CopyOnWriteArrayList<>());
            }
            Random rnd = new Random(42 + c);
            Thread t = new Thread(() -> run(own, rnd), "chaos-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Starts a new phase: the counts from now on go to it. */
    Phase phase(String name) {
        Phase p = new Phase(name);
        phases.add(p);
        current = p;
        return p;
    }

    Phase current() {
        return current;
    }

    List<Phase> phases() {
        return phases;
    }

    void stop() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(REQUEST_TIMEOUT.toMillis() * WRITE_ATTEMPTS);
        }
    }

    Collection<ReadError> readErrors() {
        return readErrors;
    }

    List<Device> devices() {
        List<Device> all = new ArrayList<>();
        devicesByTenant.values().forEach(all::addAll);
        return all;
    }

    private void run(List<String> tenants, Random rnd) {
        while (!stop) {
            String tenant = tenants.get(rnd.nextInt(tenants.size()));
            List<Device> own = devicesByTenant.get(tenant);
            List<Device> known = own.stream().filter(d -> d.acked != null).toList();
            int r = rnd.nextInt(100);
            try {
                if (known.isEmpty() || (r < 10 && own.size() < DEVICES_PER_TENANT)) {
                    create(tenant, own);
                } else {
                    Device d = known.get(rnd.nextInt(known.size()));
                    if (r < 40) {
                        replace(d, rnd);
                    } else if (r < 52) {
                        reading(d);
                    } else if (r < 80) {
                        read(tenant, "/api/devices/" + d.id, true);
                    } else if (r < 90) {
                        read(tenant, "/api/devices?limit=20", false);
                    } else {
                        read(tenant, "/api/devices/" + d.id + "/telemetry?limit=50", true);
                    }
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis); // pacing of the virtual client, not a wait for an outcome
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void create(String tenant, List<Device> own) throws InterruptedException {
        Device d = new Device(tenant, tenant + "-dev-" + own.size());
        own.add(d);
        JsonObject body = new JsonObject().put("id", d.id).put("name", "sensor " + d.id).put("type", "thermo")
                .put("status", "ONLINE");
        Answer a = write("POST", "/api/devices", tenant, body);
        if (a.acked()) {
            d.acked = fields(body);
        } else if (a.unsure()) {
            d.createUnsure = true;
            d.unsure.add(fields(body)); // it may have been applied: its fields are a state the device may end in
        }
    }

    private void replace(Device d, Random rnd) throws InterruptedException {
        JsonObject body = new JsonObject().put("name", "sensor " + d.id + " v" + (++d.seq)).put("type", "thermo")
                .put("status", rnd.nextBoolean() ? "ONLINE" : "OFFLINE");
        Answer a = write("PUT", "/api/devices/" + d.id, d.tenant, body);
        if (a.acked()) {
            d.acked = fields(body);
            d.unsure.clear();
        } else if (a.unsure()) {
            d.unsure.add(fields(body));
        }
    }

    private void reading(Device d) throws InterruptedException {
        JsonObject body = new JsonObject().put("timestamp", Instant.now().toString())
                .put("data", new JsonObject().put("seq", ++d.seq).put("celsius", 20 + d.seq % 7));
        Answer a = write("POST", "/api/devices/" + d.id + "/telemetry", d.tenant, body);
        if (a.acked()) {
            d.readings.add(new JsonObject(a.body()).getLong("id"));
        } else if (a.unsure()) {
            d.unsureReadings.incrementAndGet();
        }
    }

    /** The fields the test compares on both sides. */
    static JsonObject fields(JsonObject device) {
        return new JsonObject().put("name", device.getString("name")).put("type", device.getString("type"))
                .put("status", device.getString("status"));
    }

    private record Answer(int status, String body) {
        boolean acked() {
            return status / 100 == 2;
        }

        boolean unsure() {
            return status == 0 || status >= 500;
        }
    }

    private Answer write(String method, String path, String tenant, JsonObject body) throws InterruptedException {
        Phase phase = current;
        String key = UUID.randomUUID().toString();
        int lastStatus = 0;
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Router router = pick();
            try {
                HttpResponse<String> r = router.client.send(request(router, path, tenant)
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                        HttpResponse.BodyHandlers.ofString());
                lastStatus = r.statusCode();
                if (lastStatus / 100 == 2) {
                    phase.writesAcked.increment();
                    ("v2".equals(r.headers().firstValue("X-Cutover-Backend").orElse(""))
                            ? phase.writesAckedByV2 : phase.writesAckedByV1).increment();
                    return new Answer(lastStatus, r.body());
                }
                if (lastStatus < 500) {
                    phase.writesRejected.increment();
                    return new Answer(lastStatus, r.body());
                }
                phase.writeAttemptsFailed.increment();
            } catch (IOException e) {
                lastStatus = 0;
                if (router.killed) {
                    phase.retriedAfterKill.increment();
                    continue;
                }
                phase.writeAttemptsFailed.increment();
            }
            Thread.sleep(200L * (attempt + 1)); // the client's retry backoff
        }
        phase.writesUnsure.increment();
        return new Answer(lastStatus >= 500 ? lastStatus : 0, null);
    }

    private void read(String tenant, String path, boolean ownDevice) throws InterruptedException {
        Phase phase = current;
        for (int attempt = 0; attempt < 4; attempt++) {
            Router router = pick();
            HttpResponse<Void> r;
            try {
                r = router.client.send(request(router, path, tenant).GET().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                if (router.killed) {
                    phase.retriedAfterKill.increment();
                    Thread.sleep(200L * (attempt + 1)); // the client's retry backoff, as for writes
                    continue;
                }
                error(phase, router, path, tenant, e.toString());
                return;
            }
            phase.reads.increment();
            int s = r.statusCode();
            if (s / 100 == 2) {
                ("v2".equals(r.headers().firstValue("X-Cutover-Backend").orElse("")) ? phase.readsByV2 : phase.readsByV1)
                        .increment();
            } else if (s == 404 && ownDevice) {
                phase.stale404.increment();
            } else {
                error(phase, router, path, tenant, "HTTP " + s + " from " + r.headers().firstValue("X-Cutover-Backend").orElse("the router"));
            }
            return;
        }
        error(phase, null, path, tenant, "no router took the request in 4 attempts");
    }

    private void error(Phase phase, Router router, String path, String tenant, String outcome) {
        phase.reads.increment();
        phase.readErrors.increment();
        readErrors.add(new ReadError(phase.name, router == null ? "-" : router.name, "GET " + path + " (" + tenant + ")",
                outcome));
    }

    private HttpRequest.Builder request(Router router, String path, String tenant) {
        return HttpRequest.newBuilder(URI.create(router.url(path))).timeout(REQUEST_TIMEOUT).header(TENANT_HEADER, tenant);
    }

    private Router pick() {
        List<Router> up = routers.stream().filter(r -> r.inPool).toList();
        List<Router> pool = up.isEmpty() ? routers : up;
        return pool.get(Math.floorMod(roundRobin.getAndIncrement(), pool.size()));
    }
}
