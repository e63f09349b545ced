import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * The JVM floor of the hot-path benchmark: the least a Vert.x proxy does for one read, with nothing
 * of the router's (no edge screen, breaker, guard, metrics, access log, Quarkus routing). It splits
 * like the nginx anchor (a sticky share of tenants by {@code X-Tenant-Id} to V2, the rest to V1), forwards
 * method, target, headers and body through a keep-alive pool, and relays the answer. One event loop and
 * one server instance per core, like the router.
 *
 * <p>Not the router and not a product: a yardstick, so that the bench can say how much of the router's
 * cost per read is the platform's (JVM, Netty, Vert.x) and how much is its own.
 *
 * <p>{@code java -cp "<quarkus-app>/lib/main/*:<classes>" BareForwarder <port> <v1 port> <v2 port> <v2 percent>}
 */
public final class BareForwarder extends AbstractVerticle {

    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade");

    private final int port;
    private final int v1;
    private final int v2;
    private final int v2Buckets;
    private HttpClient client;

    private BareForwarder(int port, int v1, int v2, int v2Percent) {
        this.port = port;
        this.v1 = v1;
        this.v2 = v2;
        this.v2Buckets = v2Percent * 100;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int v1 = Integer.parseInt(args[1]);
        int v2 = Integer.parseInt(args[2]);
        int v2Percent = Integer.parseInt(args[3]);
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new BareForwarder(port, v1, v2, v2Percent), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("bare forwarder listening on 127.0.0.1:" + port + " with " + loops + " event loops"))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start(Promise<Void> started) {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(64));
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
                .requestHandler(this::forward)
                .listen(port, "127.0.0.1")
                .<Void>mapEmpty()
                .onComplete(started);
    }

    private void forward(HttpServerRequest req) {
        req.pause();
        String tenant = req.getHeader("X-Tenant-Id");
        int target = tenant != null && Math.floorMod(tenant.hashCode(), 10_000) < v2Buckets ? v2 : v1;
        RequestOptions options = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(target)
                .setURI(req.uri());
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                req.response().setStatusCode(502).end();
                return;
            }
            var out = ar.result();
            copy(req.headers(), out.headers());
            String length = req.getHeader("Content-Length");
            if (length == null && req.getHeader("Transfer-Encoding") != null) {
                out.setChunked(true);
            }
            out.send(req).onComplete(answered -> {
                if (answered.failed()) {
                    req.response().setStatusCode(502).end();
                    return;
                }
                var in = answered.result();
                HttpServerResponse res = req.response().setStatusCode(in.statusCode());
                copy(in.headers(), res.headers());
                if (in.getHeader("Content-Length") == null) {
                    res.setChunked(true);
                }
                res.send(in);
            });
        });
    }

    private static void copy(MultiMap from, MultiMap to) {
        for (var header : from) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }
}
