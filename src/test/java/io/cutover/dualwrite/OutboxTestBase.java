package io.cutover.dualwrite;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Received;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The outbox tests' common ground (with {@link WorkerByHandProfile}): an empty outbox and dual write
 * on before each test, the backends as they were after it, and the worker's rounds run by the test.
 */
abstract class OutboxTestBase extends ProxyTestBase {

    @Inject
    Pool pool;
    @Inject
    OutboxWorker worker;

    /** Kept-alive connections: REST Assured opens one per request, which cost most of these tests' time. */
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void emptyOutboxAndDualWriteOn() {
        join(pool.query("TRUNCATE cutover_outbox, cutover_outbox_queue").execute());
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
    }

    @AfterEach
    void backendsBack() {
        v1.reset();
        v2.reset();
    }

    static <T> T join(io.vertx.core.Future<T> f) {
        return f.toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Waits until the router has recorded how each answered write went (settled its intent): the settlement is
     * off the client's path, so it may follow the answer by a batch flush.
     */
    void awaitSettled() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> count("state = 'unconfirmed'") == 0);
    }

    long count(String where) {
        return join(pool.query("SELECT count(*) FROM cutover_outbox WHERE " + where).execute()).iterator().next().getLong(0);
    }

    static List<Received> writes(TestBackend b) {
        return b.received().stream().filter(r -> !r.method().equals("GET")).toList();
    }
}
