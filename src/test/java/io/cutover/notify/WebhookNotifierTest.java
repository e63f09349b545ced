package io.cutover.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook against a real HTTP receiver on an ephemeral port, which fails as each test says. */
class WebhookNotifierTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private Vertx vertx;
    private HttpServer receiver;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private volatile int failStatus = 503;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void startReceiver() throws Exception {
        vertx = Vertx.vertx();
        receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (failFirst.getAndDecrement() > 0) {
                req.response().setStatusCode(failStatus).end();
                return;
            }
            received.add(new JsonObject(body.toString()).put("contentType", req.getHeader("Content-Type")));
            req.response().setStatusCode(200).end("ok");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    private WebhookNotifier notifier(int maxAttempts) {
        URI url = URI.create("http://127.0.0.1:" + receiver.actualPort() + "/services/T000/B000/secret");
        NotifyConfig config = new NotifyConfig() {
            public Optional<URI> webhookUrl() { return Optional.of(url); }
            public int maxAttempts() { return maxAttempts; }
            public Duration backoffInitial() { return Duration.ofMillis(20); }
            public Duration backoffMax() { return Duration.ofMillis(100); }
            public Duration timeout() { return Duration.ofSeconds(2); }
            public int queue() { return 10; }
        };
        return new WebhookNotifier(vertx, config, Clock.systemUTC(), registry);
    }

    private static Notice promoted() {
        return Notice.of(Notice.Event.STEP_PROMOTED, Instant.parse("2026-12-01T10:10:00Z"), "Cutover: V2 weight now 5%",
                "weight", 5.0, "from", 1.0, "by", "guard", "reason", null);
    }

    @Test
    void shouldPostOneSlackCompatibleJsonPerEvent() {
        WebhookNotifier n = notifier(3);
        n.notify(promoted());
        await().atMost(WAIT).until(() -> received.size() == 1);
        JsonObject body = received.get(0);
        assertThat(body.getString("contentType")).isEqualTo("application/json");
        assertThat(body.getString("text")).isEqualTo("Cutover: V2 weight now 5%");
        assertThat(body.getString("event")).isEqualTo("step-promoted");
        assertThat(body.getString("at")).isEqualTo("2026-12-01T10:10:00Z");
        assertThat(body.getJsonObject("fields").getDouble("weight")).isEqualTo(5.0);
        assertThat(body.getJsonObject("fields").getString("by")).isEqualTo("guard");
        await().atMost(WAIT).until(() -> n.status().delivered() == 1);
        assertThat(n.status().lastDeliveries().get(0).attempts()).isEqualTo(1);
        assertThat(n.status().target()).as("the webhook's path is its secret").doesNotContain("secret");
    }

    @Test
    void shouldRetryWithBackoffUntilTheReceiverAcceptsIt() {
        failFirst.set(2);
        WebhookNotifier n = notifier(5);
        n.notify(promoted());
        await().atMost(WAIT).until(() -> n.status().delivered() == 1);
        assertThat(received).hasSize(1);
        assertThat(n.status().lastDeliveries().get(0).attempts()).isEqualTo(3);
        assertThat(registry.counter("cutover.notify.deliveries", "result", "retried").count()).isEqualTo(2);
    }

    @Test
    void shouldListAnEventAsFailedAfterTheLastAttempt() {
        failFirst.set(100);
        WebhookNotifier n = notifier(2);
        n.notify(promoted());
        await().atMost(WAIT).until(() -> n.status().failed() == 1);
        WebhookNotifier.Delivery d = n.status().lastFailures().get(0);
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.error()).isEqualTo("HTTP 503");
        assertThat(received).isEmpty();
    }

    @Test
    void shouldNotRetryAReceiverThatRefusesTheRequest() {
        failFirst.set(100);
        failStatus = 404;
        WebhookNotifier n = notifier(5);
        n.notify(promoted());
        await().atMost(WAIT).until(() -> n.status().failed() == 1);
        assertThat(n.status().lastFailures().get(0).attempts()).as("a 404 will not heal by retrying").isEqualTo(1);
    }

    @Test
    void shouldNeverBlockTheCallerEvenWhenTheReceiverIsDown() throws Exception {
        int port = receiver.actualPort();
        receiver.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        WebhookNotifier n = notifier(2);
        // called on an event loop, as the rollback guard and the progression call it: notify returns before any
        // delivery attempt has ended (one that waited for it would wait for callbacks of its own event loop: never)
        java.util.concurrent.CompletableFuture<WebhookNotifier.Status> atReturn = new java.util.concurrent.CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            n.notify(promoted());
            atReturn.complete(n.status());
        });
        WebhookNotifier.Status returned = atReturn.get(5, TimeUnit.SECONDS);
        assertThat(returned.delivered() + returned.failed()).as("no attempt has ended when notify returns").isZero();
        await().atMost(WAIT).until(() -> n.status().failed() == 1);
        assertThat(n.status().lastFailures().get(0).error()).contains("onnect");
        assertThat(port).isPositive();
    }
}
