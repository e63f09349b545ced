package io.cutover.e2e;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP forwarder on 127.0.0.1 in front of a backend, which a test switches between passing
 * requests through, being down (its port refuses connections; open connections are closed) and
 * answering 500 to everything without passing anything on.
 */
final class FaultProxy implements AutoCloseable {

    enum Mode { PASS, DOWN, FAIL_500 }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-connection", "content-length", "host");

    private final Vertx vertx;
    private final HttpClient client;
    private final String targetHost;
    private final int targetPort;
    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile Mode mode = Mode.PASS;
    private HttpServer server;
    private int port;

    FaultProxy(Vertx vertx, String targetUrl) {
        this.vertx = vertx;
        URI target = URI.create(targetUrl);
        this.targetHost = target.getHost();
        this.targetPort = target.getPort();
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true));
    }

    synchronized FaultProxy start() {
        server = listen(0);
        port = server.actualPort();
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Mode mode() {
        return mode;
    }

    /** Requests passed through / answered 500 so far. */
    long passed() {
        return passed.get();
    }

    long failed() {
        return failed.get();
    }

    /** Switches mode; DOWN closes the listening socket and every open connection, leaving DOWN listens again on the same port. */
    synchronized void mode(Mode next) {
        if (next == Mode.DOWN && server != null) {
            await(server.close());
            server = null;
        } else if (next != Mode.DOWN && server == null) {
            server = listen(port);
        }
        mode = next;
    }

    private HttpServer listen(int p) {
        return await(vertx.createHttpServer().requestHandler(this::handle).listen(p, "127.0.0.1"));
    }

    private void handle(HttpServerRequest req) {
        if (mode == Mode.FAIL_500) {
            failed.incrementAndGet();
            req.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"injected by the test's fault proxy\"}");
            return;
        }
        passed.incrementAndGet();
        req.body().compose(body -> {
            RequestOptions options = new RequestOptions().setMethod(req.method()).setHost(targetHost)
                    .setPort(targetPort).setURI(req.uri());
            return client.request(options).compose(out -> {
                copy(req.headers(), out.headers());
                return out.send(body);
            });
        }).compose(in -> in.body().map(b -> {
            copy(in.headers(), req.response().headers());
            req.response().setStatusCode(in.statusCode()).end(b);
            return null;
        })).onFailure(e -> {
            if (!req.response().ended()) {
                req.response().setStatusCode(502).end();
            }
        });
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(e -> {
            if (!HOP_BY_HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                to.add(e.getKey(), e.getValue());
            }
        });
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            await(server.close());
            server = null;
        }
        client.close();
    }
}
