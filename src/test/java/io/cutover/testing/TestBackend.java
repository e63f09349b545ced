package io.cutover.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A real HTTP backend on an ephemeral port for the proxy tests. It echoes what it received as JSON
 * (so a test sees the headers the router sent) and can be told to misbehave: answer 500, be slow,
 * hang, reset mid-answer, or be down (its port refuses connections).
 */
public final class TestBackend {

    /**
     * {@code RESET_BEFORE_BODY}: the head, then the connection closed before any byte of the body.
     * {@code STREAM}: a {@code text/event-stream} whose first event goes at once and whose end waits for
     * {@link #releaseStream(boolean)} (the rest and the end, or the connection closed mid-stream).
     */
    public enum Mode { ECHO, ERROR_500, SLOW, HANG, RESET_MID_RESPONSE, RESET_BEFORE_BODY, STREAM }

    /** The first event of {@link Mode#STREAM}; the rest follows on release. */
    public static final String FIRST_EVENT = "data: first\n\n";
    public static final String LAST_EVENT = "data: last\n\n";

    /** What one request looked like on arrival. */
    public record Received(String method, String uri, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    private final String name;
    private final Vertx vertx;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ECHO);
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private volatile long slowMillis = 3000;
    private volatile java.util.concurrent.CompletableFuture<Boolean> streamGate = new java.util.concurrent.CompletableFuture<>();
    private volatile Function<Received, Canned> responder;
    private volatile HttpServer server;
    private int port;

    public TestBackend(Vertx vertx, String name) {
        this.vertx = vertx;
        this.name = name;
    }

    public TestBackend start() {
        server = listen(0);
        port = server.actualPort();
        return this;
    }

    private HttpServer listen(int p) {
        try {
            return vertx.createHttpServer()
                    .connectionHandler(c -> {
                        openConnections.incrementAndGet();
                        c.closeHandler(v -> openConnections.decrementAndGet());
                    })
                    .requestHandler(this::handle)
                    .listen(p, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public void mode(Mode m) {
        mode.set(m);
    }

    /** A JSON answer of a test's own, instead of the echo. */
    /** @param close close the connection right after the answer, without {@code Connection: close} (as Vert.x's 431) */
    /** A canned answer; {@code delayMs}: sent that long after the request came (other requests are answered meanwhile). */
    public record Canned(int status, String json, boolean close, long delayMs) {
        public Canned(int status, String json) {
            this(status, json, false, 0);
        }

        public Canned(int status, String json, boolean close) {
            this(status, json, close, 0);
        }
    }

    /** Answers with the test's own JSON (in the modes that echo; the echo where it gives null) until {@link #reset()}. */
    public void respond(Function<Received, Canned> responder) {
        this.responder = responder;
    }

    public void slowMillis(long ms) {
        slowMillis = ms;
    }

    /** Closes the listening socket and every connection: new connections are refused. */
    public void down() {
        HttpServer s = server;
        if (s != null) {
            server = null;
            await(s.close());
        }
    }

    /** Listens again on the same port. */
    public void up() {
        if (server == null) {
            server = listen(port);
        }
    }

    /** Lets the streams of {@link Mode#STREAM} go on: {@code finish} sends the last event and ends, else closes the connection. */
    public void releaseStream(boolean finish) {
        streamGate.complete(finish);
    }

    public void reset() {
        streamGate.complete(false);
        streamGate = new java.util.concurrent.CompletableFuture<>();
        up();
        mode.set(Mode.ECHO);
        slowMillis = 3000;
        responder = null;
        received.clear();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int openConnections() {
        return openConnections.get();
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            req.headers().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + "," + b));
            Received r = new Received(req.method().name(), req.uri(), headers, body.toString());
            received.add(r);
            answer(req, r);
        });
    }

    private void answer(HttpServerRequest req, Received r) {
        if (req.path().equals("/health")) {
            req.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
            return;
        }
        switch (mode.get()) {
            case ERROR_500 -> req.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("backend", name).put("error", "boom").encode());
            case SLOW -> vertx.setTimer(slowMillis, t -> echo(req, r));
            case HANG -> {
            }
            case RESET_MID_RESPONSE -> {
                req.response().setChunked(true).putHeader("Content-Type", "application/json");
                req.response().write("{\"backend\":\"" + name + "\",\"partial\":");
                vertx.setTimer(20, t -> req.connection().close());
            }
            case RESET_BEFORE_BODY -> {
                req.response().setChunked(true).putHeader("Content-Type", "application/json");
                req.response().writeHead();
                vertx.setTimer(20, t -> req.connection().close());
            }
            case STREAM -> {
                req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
                req.response().write(FIRST_EVENT);
                io.vertx.core.Context context = vertx.getOrCreateContext();
                streamGate.thenAccept(finish -> context.runOnContext(v -> {
                    if (finish) {
                        req.response().end(LAST_EVENT);
                    } else {
                        req.connection().close();
                    }
                }));
            }
            default -> echo(req, r);
        }
    }

    private static void answer(HttpServerRequest req, Canned c) {
        if (req.response().closed()) {
            return;
        }
        req.response().setStatusCode(c.status()).putHeader("Content-Type", "application/json").end(c.json());
        if (c.close()) {
            req.response().close();
        }
    }

    private void echo(HttpServerRequest req, Received r) {
        if (req.response().closed()) {
            return;
        }
        Function<Received, Canned> own = responder;
        if (own != null) {
            Canned c = own.apply(r);
            if (c != null) { // null: the echo
                if (c.delayMs() > 0) {
                    vertx.setTimer(c.delayMs(), t -> answer(req, c));
                } else {
                    answer(req, c);
                }
                return;
            }
        }
        JsonObject json = new JsonObject().put("backend", name).put("method", r.method()).put("uri", r.uri())
                .put("headers", new JsonObject(Map.copyOf(r.headers()).entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (Object) e.getValue()))))
                .put("body", r.body());
        if (req.path().endsWith("/hop-by-hop")) {
            req.response().putHeader("Connection", "X-Backend-Private")
                    .putHeader("X-Backend-Private", "secret")
                    .putHeader("Keep-Alive", "timeout=5")
                    .putHeader("Proxy-Authenticate", "Basic")
                    .putHeader("Upgrade", "h2c")
                    .putHeader("X-Backend-Public", "visible");
        }
        String big = req.getParam("bytes");
        if (big != null) {
            req.response().setChunked(true);
            int n = Integer.parseInt(big);
            Buffer chunk = Buffer.buffer("x".repeat(1024));
            for (int i = 0; i < n / 1024; i++) {
                req.response().write(chunk);
            }
            req.response().end();
            return;
        }
        if (r.header("If-None-Match") != null && req.method().name().equals("GET")) {
            // a conditional GET whose representation has not changed: 304, no body, no length of its own
            req.response().setStatusCode(304).putHeader("ETag", r.header("If-None-Match")).end();
            return;
        }
        int status = 200;
        if (req.method().name().equals("POST") && (req.path().equals("/api/devices") || req.path().endsWith("/telemetry"))) {
            // a create, as the reference API answers it: 201 with the client's id, else a new one
            String id = null;
            try {
                id = new JsonObject(r.body()).getString("id");
            } catch (RuntimeException notJsonOrNoId) {
                // keep null
            }
            json.put("id", id != null ? id : name + "-" + created.incrementAndGet());
            status = 201;
        }
        String encoded = json.encode();
        if (req.method().name().equals("HEAD")) {
            // as servers answer a HEAD: the length of the body a GET would get, and no body
            req.response().putHeader("Content-Length", String.valueOf(Buffer.buffer(encoded).length()));
        }
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
    }

    private static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
