package io.cutover.notify;

import io.cutover.database.ChangeFeed;
import io.cutover.dualwrite.Backoff;
import io.cutover.observability.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Sends each {@link Notice} as one JSON POST to {@code cutover.notify.webhook-url}, off the caller's
 * thread (a Vert.x client), retried with exponential backoff and jitter on a connect error, a
 * timeout, a 429 or a 5xx, at most {@code cutover.notify.max-attempts} times. Without a URL events
 * are only logged. The last deliveries and failures are kept for {@code /admin/status}.
 */
@Singleton
public class WebhookNotifier implements Notifier {

    private static final Logger LOG = Logger.getLogger(WebhookNotifier.class);
    /** Deliveries and failures kept for the status, newest first. */
    static final int KEEP_LAST = 10;

    /** What became of one event. */
    public record Delivery(String event, String text, Instant at, int attempts, String result, String error) {
    }

    /** The body of {@code notifications} in {@code /admin/status}. */
    public record Status(boolean configured, String target, long delivered, long failed, long dropped, int queued,
                         List<Delivery> lastDeliveries, List<Delivery> lastFailures) {
    }

    private final Vertx vertx;
    private final NotifyConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Backoff backoff;
    private final String replica;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Deque<Delivery> lastDeliveries = new ArrayDeque<>();
    private final Deque<Delivery> lastFailures = new ArrayDeque<>();
    private volatile HttpClient client;

    @Inject
    WebhookNotifier(Vertx vertx, NotifyConfig config, Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
        this.replica = System.getenv().getOrDefault("HOSTNAME", "local");
        if (config.maxAttempts() < 1) {
            throw new IllegalArgumentException("cutover.notify.max-attempts: " + config.maxAttempts() + " (expected: >= 1)");
        }
        config.webhookUrl().ifPresent(u -> {
            if (u.getHost() == null || !("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))) {
                throw new IllegalArgumentException("cutover.notify.webhook-url: not an absolute http or https URL"
                        + " (expected: such as https://hooks.slack.com/services/...)");
            }
        });
        for (String r : new String[] {"delivered", "retried", "failed", "dropped"}) {
            registry.counter(MetricNames.NOTIFY_DELIVERIES, MetricNames.TAG_RESULT, r);
        }
    }

    @Override
    public void notify(Notice notice) {
        LOG.infof("NOTIFY %s: %s %s", notice.event().tag(), notice.text(), notice.fields());
        if (config.webhookUrl().isEmpty()) {
            return;
        }
        if (inFlight.incrementAndGet() > config.queue()) {
            inFlight.decrementAndGet();
            dropped.incrementAndGet();
            count("dropped");
            remember(lastFailures, new Delivery(notice.event().tag(), notice.text(), clock.instant(), 0, "dropped",
                    "more than cutover.notify.queue=" + config.queue() + " events waiting"));
            return;
        }
        Buffer body = body(notice).toBuffer();
        vertx.runOnContext(v -> attempt(notice, body, 1));
    }

    public Status status() {
        synchronized (lastDeliveries) {
            return new Status(config.webhookUrl().isPresent(), config.webhookUrl().map(WebhookNotifier::redacted).orElse(null),
                    delivered.get(), failed.get(), dropped.get(), inFlight.get(), List.copyOf(lastDeliveries),
                    List.copyOf(lastFailures));
        }
    }

    JsonObject body(Notice notice) {
        JsonObject fields = new JsonObject();
        notice.fields().forEach((k, v) -> fields.put(k, v == null || v instanceof Number || v instanceof Boolean
                ? v : v.toString()));
        return new JsonObject()
                .put("text", notice.text())
                .put("event", notice.event().tag())
                .put("at", notice.at().toString())
                .put("replica", replica)
                .put("fields", fields);
    }

    private void attempt(Notice notice, Buffer body, int attempt) {
        URI url = config.webhookUrl().orElseThrow();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setTimeout(config.timeout().toMillis()).putHeader("Content-Type", "application/json");
        client().request(options)
                .compose(req -> req.send(body))
                .compose(resp -> resp.body().map(b -> resp))
                .onComplete(ar -> {
                    String error = ar.failed() ? ChangeFeed.rootMessage(ar.cause()) : outcome(ar.result());
                    if (error == null) {
                        finished(notice, attempt, "delivered", null, lastDeliveries);
                        delivered.incrementAndGet();
                    } else if (attempt >= config.maxAttempts() || (ar.succeeded() && !retryable(ar.result().statusCode()))) {
                        LOG.warnf("notification %s not delivered after %d attempt(s): %s", notice.event().tag(), attempt, error);
                        finished(notice, attempt, "failed", error, lastFailures);
                        failed.incrementAndGet();
                    } else {
                        count("retried");
                        long delay = Math.max(1, backoff.after(attempt).toMillis());
                        LOG.debugf("notification %s attempt %d failed (%s): again in %dms", notice.event().tag(), attempt, error, delay);
                        vertx.setTimer(delay, id -> attempt(notice, body, attempt + 1));
                    }
                });
    }

    private void finished(Notice notice, int attempts, String result, String error, Deque<Delivery> list) {
        inFlight.decrementAndGet();
        count(result);
        remember(list, new Delivery(notice.event().tag(), notice.text(), clock.instant(), attempts, result, error));
    }

    private void remember(Deque<Delivery> list, Delivery d) {
        synchronized (lastDeliveries) {
            list.addFirst(d);
            while (list.size() > KEEP_LAST) {
                list.removeLast();
            }
        }
    }

    private void count(String result) {
        registry.counter(MetricNames.NOTIFY_DELIVERIES, MetricNames.TAG_RESULT, result).increment();
    }

    private static String outcome(HttpClientResponse resp) {
        int s = resp.statusCode();
        return s >= 200 && s < 300 ? null : "HTTP " + s;
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions()
                                    .setConnectTimeout((int) config.timeout().toMillis()).setKeepAlive(true),
                            new PoolOptions().setHttp1MaxSize(4));
                }
                c = client;
            }
        }
        return c;
    }

    /** The URL without its path (a Slack webhook's path is its secret). */
    static String redacted(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/...";
    }
}
