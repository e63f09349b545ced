package io.cutover.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Slow clients (issue 12): a connection must deliver each request head within {@code cutover.edge.header-timeout},
 * and at most {@code cutover.edge.max-half-open} connections wait for one at once ({@link HalfOpen}).
 *
 * <p>Vert.x 4.5 has no header-read timeout, and Quarkus 3.34 sets the server's {@code connectionHandler} itself (only
 * for {@code quarkus.http.limits.max-connections}), so nothing public sees a connection at accept time. What the router
 * can reach is the Netty channel of a request's connection, and through it the listening channel that accepted it: an
 * {@link AcceptHook} there sees every connection accepted from then on. A route at the very front installs it on the
 * first request through each listener, and the router sends itself one request as soon as the main server listens, so
 * that the hook is in place before clients arrive (connections accepted before that moment are not watched).
 */
@Singleton
class SlowClientGuard {

    private static final Logger LOG = Logger.getLogger(SlowClientGuard.class);

    private final boolean enabled;
    private final long timeoutNanos;
    private final HalfOpen halfOpen;
    private final SlowClientMetrics metrics;
    private final AcceptHook hook = new AcceptHook(this);
    private final EdgeConfig config;
    /** Listeners given the hook (the main one; an HTTPS one too, if configured). */
    private final Set<Channel> hooked = ConcurrentHashMap.newKeySet();
    /** The last listener seen: a request through it costs one comparison. */
    private volatile Channel last;

    SlowClientGuard(EdgeConfig config, MeterRegistry registry) {
        this.config = config;
        if (config.headerTimeout().isNegative()) {
            throw new IllegalArgumentException("cutover.edge.header-timeout: " + config.headerTimeout()
                    + " (expected: >= 0s; 0s turns the guard off)");
        }
        this.enabled = !config.headerTimeout().isZero();
        this.timeoutNanos = config.headerTimeout().toNanos();
        this.halfOpen = new HalfOpen(config.maxHalfOpen());
        this.metrics = new SlowClientMetrics(registry);
    }

    void mount(@Observes Router router) {
        if (enabled) {
            router.route().order(Integer.MIN_VALUE).handler(this::front);
        }
    }

    /** Once the main server listens, one request to it puts the hook in place before any client's does. */
    void listening(@ObservesAsync HttpServerStart start, Vertx vertx, Instance<HttpServer> server) {
        if (!enabled || !server.isResolvable()) {
            return;
        }
        URI base = server.get().getLocalBaseUri();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(base.getHost()).setPort(base.getPort())
                        .setURI("/q/health/live"))
                .compose(req -> req.send())
                .compose(resp -> resp.body())
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.debugf("slow-client guard: the request to itself failed (%s); the first client request installs it",
                                ar.cause().toString());
                    }
                    client.close();
                });
    }

    private void front(RoutingContext rc) {
        Channel listener = NettyChannels.listenerOf(rc.request().connection());
        if (listener != null && listener != last) {
            last = listener;
            if (hooked.add(listener)) {
                hook(listener);
            }
        }
        rc.next();
    }

    private void hook(Channel listener) {
        listener.eventLoop().execute(() -> {
            if (listener.pipeline().get(AcceptHook.NAME) == null) {
                listener.pipeline().addFirst(AcceptHook.NAME, hook);
                LOG.infof("Slow-client guard on %s (%s): a request head within %s, at most %d connections waiting for one",
                        listener.localAddress(), listener.getClass().getSimpleName(), config.headerTimeout(),
                        config.maxHalfOpen());
            }
        });
    }

    HeadWait newWait(ChannelHandlerContext ctx) {
        return new HeadWait(ctx, halfOpen, timeoutNanos, metrics);
    }

    /** Connections waiting for a request head now. */
    int halfOpen() {
        return halfOpen.size();
    }
}
