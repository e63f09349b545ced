package io.cutover.edge;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Singleton;

/**
 * The HTTP server's own options where Vert.x has one: no cleartext HTTP/2 unless configured (so an
 * {@code Upgrade: h2c} is not honoured), and {@code Expect: 100-continue} answered by the server at
 * once (a client no longer waits a second before it sends its body; a body declared larger than the
 * limit still gets 413 and the connection closed before any of it is read).
 */
@Singleton
class EdgeServerOptions implements HttpServerOptionsCustomizer {

    private final EdgeConfig config;

    EdgeServerOptions(EdgeConfig config) {
        this.config = config;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(config.h2c());
        options.setHandle100ContinueAutomatically(true);
    }
}
