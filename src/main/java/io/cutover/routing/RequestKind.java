package io.cutover.routing;

import java.util.Locale;

/**
 * What the router needs to know of one request to decide: its route, whether it writes, and the
 * entity it is about (the device id for {@code /api/devices/{id}...}, else {@code null}).
 */
public record RequestKind(Route route, boolean write, String deviceId) {

    /** The routes, a tag of the request metric. */
    public enum Route {
        DEVICES, TELEMETRY, OTHER;

        private final String tag = name().toLowerCase(Locale.ROOT);

        public String tag() {
            return tag;
        }
    }

    public boolean migrating() {
        return route != Route.OTHER;
    }
}
