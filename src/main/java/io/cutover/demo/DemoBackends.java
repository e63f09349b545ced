package io.cutover.demo;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the V1 and V2 {@link DemoBackend}s on 127.0.0.1 when {@code cutover.demo.enabled=true}
 * (ports {@code cutover.demo.v1-port}, {@code cutover.demo.v2-port}), and stops them on shutdown.
 * A port that cannot be bound fails startup.
 */
@ApplicationScoped
public class DemoBackends {

    /** Interface the demo backends listen on: {@value}. */
    public static final String HOST = "127.0.0.1";

    private static final Logger LOG = Logger.getLogger(DemoBackends.class);
    private static final String V1_PORT_KEY = "cutover.demo.v1-port";
    private static final String V2_PORT_KEY = "cutover.demo.v2-port";
    private static final long TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final DemoConfig config;
    private final String tenantHeader;
    private final Map<Flavor, DemoBackend> backends = new EnumMap<>(Flavor.class);
    private final Map<Flavor, HttpServer> servers = new EnumMap<>(Flavor.class);

    @Inject
    DemoBackends(Vertx vertx, DemoConfig config,
            @ConfigProperty(name = "cutover.tenant.header", defaultValue = DemoBackend.DEFAULT_TENANT_HEADER)
            String tenantHeader) {
        this.vertx = vertx;
        this.config = config;
        this.tenantHeader = tenantHeader;
    }

    /** The running backend of a flavour; empty when the demo is disabled. */
    public synchronized Optional<DemoBackend> backend(Flavor flavor) {
        return Optional.ofNullable(backends.get(flavor));
    }

    synchronized void start(@Observes StartupEvent event) throws InterruptedException, TimeoutException {
        if (!config.enabled()) {
            return;
        }
        start(Flavor.V1, V1_PORT_KEY, config.v1Port());
        start(Flavor.V2, V2_PORT_KEY, config.v2Port());
    }

    synchronized void stop(@Observes ShutdownEvent event) throws InterruptedException, ExecutionException, TimeoutException {
        for (HttpServer server : servers.values()) {
            server.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        servers.clear();
        backends.clear();
    }

    private void start(Flavor flavor, String portKey, int port) throws InterruptedException, TimeoutException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(portKey + ": " + port + " (expected: 0..65535)");
        }
        DemoBackend backend = DemoBackend.builder(flavor).tenantHeader(tenantHeader).build();
        HttpServer server;
        try {
            // Port and host go in the options (not listen(port, host)): Quarkus tags HTTP server
            // metrics with the options' port, and Prometheus needs every server tagged alike.
            server = vertx.createHttpServer(new HttpServerOptions().setHost(HOST).setPort(port))
                    .requestHandler(backend.router(vertx))
                    .listen()
                    .toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start demo backend " + flavor + " on " + HOST + ":" + port
                    + " (" + portKey + "): " + e.getCause().getMessage(), e.getCause());
        }
        backends.put(flavor, backend);
        servers.put(flavor, server);
        LOG.infof("Demo backend %s listening on http://%s:%d", flavor, HOST, server.actualPort());
    }
}
