package io.cutover.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** {@code cutover.notify.*}: where the router's events are POSTed (a Slack-compatible webhook). */
@ConfigMapping(prefix = "cutover.notify")
public interface NotifyConfig {

    /** {@value} */
    String DEFAULT_MAX_ATTEMPTS = "6";
    /** {@value} */
    String DEFAULT_QUEUE = "1000";

    /** The webhook; without it events are only logged (and listed in {@code /admin/status}). In the chart, from a Secret. */
    Optional<URI> webhookUrl();

    /** Attempts per event before it is dropped (and listed as failed). */
    @WithDefault(DEFAULT_MAX_ATTEMPTS)
    int maxAttempts();

    /** Wait before the second attempt; doubled each time, with jitter, up to {@link #backoffMax()}. */
    @WithDefault("1s")
    Duration backoffInitial();

    @WithDefault("1m")
    Duration backoffMax();

    /** Timeout of one POST. */
    @WithDefault("5s")
    Duration timeout();

    /** Events waiting to be sent at most; beyond, the newest is dropped (and counted). */
    @WithDefault(DEFAULT_QUEUE)
    int queue();
}
