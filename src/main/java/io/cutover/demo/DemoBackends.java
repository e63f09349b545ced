package io.cutover.demo;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The reference backends of dev mode and the tests: V1 and V2 serving the reference API over
 * their own PostgreSQL databases (reactive datasources {@code ref-v1}, {@code ref-v2}). When
 * {@code cutover.demo.enabled=true} it applies the reference schemas where absent, then starts V1
 * and V2 on 127.0.0.1 (ports {@code cutover.demo.v1-port}, {@code cutover.demo.v2-port}, 0 for any
 * free port), and stops them on shutdown. A port that cannot be bound fails startup.
 *
 * <p>Only in the dev and test builds: the production build has neither this bean nor the two
 * datasources (configured under {@code "%dev,test"}).
 */
@IfBuildProfile(anyOf = {"dev", "test"})
@ApplicationScoped
public class DemoBackends {

    /** Interface the reference backends listen on: {@value}. */
    public static final String HOST = "127.0.0.1";
    /** Tenant header V2 reads unless {@code cutover.tenant.header} says otherwise: {@value}. */
    public static final String DEFAULT_TENANT_HEADER = "X-Tenant-Id";

    private static final Logger LOG = Logger.getLogger(DemoBackends.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final DemoConfig config;
    private final String tenantHeader;
    private final Clock clock;
    private final Config mpConfig;
    private final Map<Flavor, Instance<Pool>> pools = new EnumMap<>(Flavor.class);
    private final Map<Flavor, HttpServer> servers = new EnumMap<>(Flavor.class);

    @Inject
    DemoBackends(Vertx vertx, DemoConfig config, Clock clock, Config mpConfig,
            @ConfigProperty(name = "cutover.tenant.header", defaultValue = DEFAULT_TENANT_HEADER) String tenantHeader,
            @ReactiveDataSource("ref-v1") Instance<Pool> v1Pool,
            @ReactiveDataSource("ref-v2") Instance<Pool> v2Pool) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.mpConfig = mpConfig;
        this.tenantHeader = tenantHeader;
        // resolved only when the backends start: with the demo off, a datasource without a URL is never opened
        pools.put(Flavor.V1, v1Pool);
        pools.put(Flavor.V2, v2Pool);
    }

    /** Whether the backends run ({@code cutover.demo.enabled}). */
    public boolean enabled() {
        return config.enabled();
    }

    /** The port a running backend listens on; empty when the demo is disabled. */
    public synchronized Optional<Integer> port(Flavor flavor) {
        return Optional.ofNullable(servers.get(flavor)).map(HttpServer::actualPort);
    }

    /** {@code http://127.0.0.1:<port>} of a running backend; empty when the demo is disabled. */
    public Optional<String> url(Flavor flavor) {
        return port(flavor).map(port -> "http://" + HOST + ":" + port);
    }

    /** The database a backend serves (whether or not the demo runs). */
    public ReferenceDatabase database(Flavor flavor) {
        String prefix = "quarkus.datasource." + flavor.datasource();
        String url = mpConfig.getValue(prefix + ".reactive.url", String.class).split(",")[0].trim();
        if (url.startsWith("vertx-reactive:")) {
            url = url.substring("vertx-reactive:".length());
        }
        return new ReferenceDatabase(url,
                mpConfig.getOptionalValue(prefix + ".username", String.class).orElse(null),
                mpConfig.getOptionalValue(prefix + ".password", String.class));
    }

    synchronized void start(@Observes StartupEvent event) throws InterruptedException, TimeoutException {
        if (!config.enabled()) {
            return;
        }
        start(Flavor.V1, "cutover.demo.v1-port", config.v1Port());
        start(Flavor.V2, "cutover.demo.v2-port", config.v2Port());
    }

    synchronized void stop(@Observes ShutdownEvent event) throws InterruptedException, ExecutionException, TimeoutException {
        for (HttpServer server : servers.values()) {
            server.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        servers.clear();
    }

    private void start(Flavor flavor, String portKey, int port) throws InterruptedException, TimeoutException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(portKey + ": " + port + " (expected: 0..65535)");
        }
        ReferenceDatabase database = database(flavor);
        Schemas.apply(flavor, database.jdbcUrl(), database.username(), database.password().orElse(null));
        DemoRoutes routes = new DemoRoutes(vertx, flavor, tenantHeader, clock, pools.get(flavor).get());
        HttpServer server;
        try {
            routes.warmUp().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reference backend " + flavor + ": its database " + database.url()
                    + " does not answer the API's queries: " + e.getCause().getMessage(), e.getCause());
        }
        try {
            // Port and host go in the options (not listen(port, host)): Quarkus tags HTTP server
            // metrics with the options' port, and Prometheus needs every server tagged alike.
            server = vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port))
                    .requestHandler(routes.router())
                    .listen()
                    .toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start reference backend " + flavor + " on " + HOST + ":" + port
                    + " (" + portKey + "): " + e.getCause().getMessage(), e.getCause());
        }
        servers.put(flavor, server);
        LOG.infof("Reference backend %s listening on http://%s:%d (database %s)", flavor, HOST, server.actualPort(), database(flavor).url());
    }
}
