package io.cutover.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
}
