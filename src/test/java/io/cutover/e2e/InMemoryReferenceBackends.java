package io.cutover.e2e;

import io.cutover.demo.DemoBackend;
import io.cutover.demo.Flavor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;

/** The in-memory demo backends ({@link DemoBackend}) on ephemeral ports. */
final class InMemoryReferenceBackends implements ReferenceBackends {

    private final HttpServer v1;
    private final HttpServer v2;

    InMemoryReferenceBackends(Vertx vertx) {
        this.v1 = listen(vertx, Flavor.V1);
        this.v2 = listen(vertx, Flavor.V2);
    }

    private static HttpServer listen(Vertx vertx, Flavor flavor) {
        try {
            return vertx.createHttpServer().requestHandler(DemoBackend.builder(flavor).build().router(vertx))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start demo backend " + flavor, e);
        }
    }

    @Override
    public String v1Url() {
        return "http://127.0.0.1:" + v1.actualPort();
    }

    @Override
    public String v2Url() {
        return "http://127.0.0.1:" + v2.actualPort();
    }

    @Override
    public String describe() {
        return "in-memory demo backends (io.cutover.demo.DemoBackend)";
    }

    @Override
    public void close() throws Exception {
        v1.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        v2.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
