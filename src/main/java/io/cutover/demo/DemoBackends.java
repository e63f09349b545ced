package io.cutover.demo;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private static final long START_TIMEOUT_SECONDS = 30;

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

    synchronized void start(@Observes StartupEvent event) throws Exception {
        if (!config.enabled()) {
            return;
        }
        start(Flavor.V1, checkedPort("cutover.demo.v1-port", config.v1Port()));
        start(Flavor.V2, checkedPort("cutover.demo.v2-port", config.v2Port()));
    }

    synchronized void stop(@Observes ShutdownEvent event) throws Exception {
        for (HttpServer server : servers.values()) {
            server.close().toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        servers.clear();
        backends.clear();
    }

    private void start(Flavor flavor, int port) throws Exception {
        DemoBackend backend = DemoBackend.builder(flavor).tenantHeader(tenantHeader).build();
        HttpServer server = vertx.createHttpServer()
                .requestHandler(backend.router(vertx))
                .listen(port, HOST)
                .toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        backends.put(flavor, backend);
        servers.put(flavor, server);
        LOG.infof("Demo backend %s listening on http://%s:%d", flavor, HOST, server.actualPort());
    }

    private static int checkedPort(String key, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + ": " + port + " (expected: 0..65535)");
        }
        return port;
    }
}
