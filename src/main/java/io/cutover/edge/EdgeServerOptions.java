package io.cutover.edge;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Singleton;

/**
 * The HTTP server's own options where Vert.x has one: no cleartext HTTP/2 unless configured (so an
 * {@code Upgrade: h2c} is not honoured), and {@code Expect: 100-continue} not answered by Vert.x on
 * its own: Vert.x would send {@code 100 Continue} as soon as the head is read, before anything could
 * look at the declared length. The router answers it instead, at once, once the head has been screened:
 * {@code 100 Continue}, or 413 (and the connection closed) for a body declared larger than the limit.
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
        options.setHandle100ContinueAutomatically(false);
    }
}
