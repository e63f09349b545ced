package io.cutover.backend;

import io.cutover.routing.Backend;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP clients towards the backends: one per backend and event loop, so that an event loop
 * never contends for another's pool (PERFORMANCE-NOTES.md). Connections that stay silent longer
 * than the backend's idle timeout are closed, so a connection left busy by an aborted exchange
 * cannot stay in the pool for ever.
 */
@Singleton
public class BackendClients {

    private final Vertx vertx;
    private final Map<Backend, Target> targets = new EnumMap<>(Backend.class);
    private final Map<Backend, HttpClient> shared = new EnumMap<>(Backend.class);
    private final FastThreadLocal<HttpClient[]> perEventLoop = new FastThreadLocal<>() {
        @Override
        protected HttpClient[] initialValue() {
            return new HttpClient[Backend.values().length];
        }
    };

    /** Where and how to reach one backend, computed once from the config. */
    public record Target(Backend backend, String host, int port, String basePath, HttpClientOptions options, PoolOptions pool,
                  long connectTimeoutMs, long responseTimeoutMs) {
    }

    BackendClients(Vertx vertx, BackendsConfig config) {
        this.vertx = vertx;
        for (Backend b : Backend.values()) {
            BackendsConfig.BackendConfig c = config.of(b);
            URI url = c.url();
            boolean tls = "https".equalsIgnoreCase(url.getScheme());
            if (url.getHost() == null || !(tls || "http".equalsIgnoreCase(url.getScheme()))) {
                throw new IllegalArgumentException("cutover.backends." + b.id() + ".url: " + url
                        + " (expected: an absolute http or https URL such as http://v1.internal:8080)");
            }
            int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
            String basePath = url.getRawPath() == null || url.getRawPath().equals("/") ? "" : stripSlash(url.getRawPath());
            HttpClientOptions options = new HttpClientOptions()
                    .setDefaultHost(url.getHost())
                    .setDefaultPort(port)
                    .setSsl(tls)
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setConnectTimeout((int) c.connectTimeout().toMillis())
                    .setIdleTimeout((int) c.idleTimeout().toMillis())
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setKeepAliveTimeout((int) Math.max(1, c.idleTimeout().toSeconds()))
                    .setDecompressionSupported(false)
                    .setName("cutover-" + b.id())
                    // the router's own spans (io.cutover.observability.Tracing) stand for these calls
                    .setTracingPolicy(TracingPolicy.IGNORE);
            PoolOptions pool = new PoolOptions().setHttp1MaxSize(c.maxConnections()).setMaxWaitQueueSize(-1);
            targets.put(b, new Target(b, url.getHost(), port, basePath, options, pool,
                    c.connectTimeout().toMillis(), c.responseTimeout().toMillis()));
        }
    }

    public Target target(Backend backend) {
        return targets.get(backend);
    }

    /** The calling event loop's client for a backend, created on first use. */
    public HttpClient client(Backend backend) {
        Target t = targets.get(backend);
        if (!Context.isOnEventLoopThread()) {
            synchronized (shared) {
                return shared.computeIfAbsent(backend, b -> vertx.createHttpClient(t.options(), t.pool()));
            }
        }
        HttpClient[] clients = perEventLoop.get();
        HttpClient c = clients[backend.ordinal()];
        if (c == null) {
            c = vertx.createHttpClient(t.options(), t.pool());
            clients[backend.ordinal()] = c;
        }
        return c;
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
