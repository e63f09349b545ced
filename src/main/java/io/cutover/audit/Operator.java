package io.cutover.audit;

import io.vertx.core.http.HttpServerRequest;

/**
 * Who made a change through the admin API, as the {@code by} of an {@code AUDIT} log line and of the
 * records that keep it (the rollback latch, a tenant's move): the client's address, never its token.
 * Each resource that changes something names its operator here, so that the packages changed
 * (rollback, tenant states) do not depend on the admin API that reads them.
 */
public final class Operator {

    /** The address when the request has none (a test calling a resource directly). */
    static final String UNKNOWN = "unknown";

    private Operator() {
    }

    /** The client's address, {@value #UNKNOWN} when there is none. */
    public static String address(HttpServerRequest http) {
        if (http == null || http.remoteAddress() == null) {
            return UNKNOWN;
        }
        return http.remoteAddress().hostAddress();
    }

    /** The operator behind this request: {@code operator@<address>}. */
    public static String of(HttpServerRequest http) {
        return "operator@" + address(http);
    }
}
