package io.cutover.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

/** {@code cutover.edge.*}: what a request must look like to reach the router's logic at all. */
@ConfigMapping(prefix = "cutover.edge")
public interface EdgeConfig {

    /** {@value}: the methods of the proxied API. {@code CONNECT} and {@code TRACE} are never allowed. */
    String DEFAULT_ALLOWED_METHODS = "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS";

    /** Methods served; any other gets 405 (a method of RFC 9110) or 501 (an unknown one), and no backend sees it. */
    @WithDefault(DEFAULT_ALLOWED_METHODS)
    List<String> allowedMethods();

    /** Cleartext HTTP/2 ({@code Upgrade: h2c} and prior knowledge) on the plain port. */
    @WithDefault("false")
    boolean h2c();

    /** {@value}: how long a connection may take to deliver a whole request head. */
    String DEFAULT_HEADER_TIMEOUT = "10s";
    /** {@value}: connections waiting for a request head at once, all clients together. */
    int DEFAULT_MAX_HALF_OPEN = 256;

    /**
     * A connection that has not delivered a complete request head (request line and headers) this long after it was
     * accepted, or (keep-alive) after the first byte of its next request, is closed. An idle keep-alive connection is
     * left to {@code quarkus.http.idle-timeout}. {@code 0s} turns the slow-client guard off (and with it
     * {@link #maxHalfOpen()}).
     */
    @WithDefault(DEFAULT_HEADER_TIMEOUT)
    Duration headerTimeout();

    /**
     * Connections waiting for a request head at once, all clients together; one more closes the one that has waited
     * longest (see {@link HalfOpen}).
     */
    @WithDefault("" + DEFAULT_MAX_HALF_OPEN)
    int maxHalfOpen();
}
