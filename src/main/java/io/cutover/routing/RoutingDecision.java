package io.cutover.routing;

/** Which backend serves a request first, and why. */
public record RoutingDecision(Backend backend, Reason reason) {

    /** Why a backend was chosen; a tag of the routing-decision metric. */
    public enum Reason {
        /** The sticky bucket and the weight. */
        WEIGHT,
        /** A per-tenant pin in the policy. */
        PIN,
        /** The tenant's migration state (reads-on-v2, writes-on-v2). */
        TENANT_STATE,
        /** A tester's override header ({@code cutover.routing.override-header}). */
        OVERRIDE,
        /** The rollback latch: everything on V1. */
        ROLLBACK,
        /** The path does not migrate: V1 alone. */
        NOT_MIGRATING,
        /** V2 failed or did not accept the request and V1 answered instead. */
        FALLBACK,
        /**
         * A write whose entity still has dual-write copies queued towards the chosen side: it goes to the
         * other side (which has them all), so the queued older copies cannot overwrite it.
         */
        OUTBOX_ORDER;

        private final String tag = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

        public String tag() {
            return tag;
        }
    }

    static final RoutingDecision ROLLBACK_V1 = new RoutingDecision(Backend.V1, Reason.ROLLBACK);
    static final RoutingDecision NOT_MIGRATING_V1 = new RoutingDecision(Backend.V1, Reason.NOT_MIGRATING);
    static final RoutingDecision WEIGHT_V1 = new RoutingDecision(Backend.V1, Reason.WEIGHT);
    static final RoutingDecision WEIGHT_V2 = new RoutingDecision(Backend.V2, Reason.WEIGHT);
    static final RoutingDecision PIN_V1 = new RoutingDecision(Backend.V1, Reason.PIN);
    static final RoutingDecision PIN_V2 = new RoutingDecision(Backend.V2, Reason.PIN);
    static final RoutingDecision TENANT_STATE_V1 = new RoutingDecision(Backend.V1, Reason.TENANT_STATE);
    static final RoutingDecision TENANT_STATE_V2 = new RoutingDecision(Backend.V2, Reason.TENANT_STATE);
}
