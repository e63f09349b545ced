package io.cutover.routing;

/**
 * What the router needs to know of one request to decide: the route of the table it matched
 * ({@link Route#OTHER} when none did: the path does not migrate), whether it writes, and the id of
 * the entity its path names ({@code {id}} of {@code /api/devices/{id}...}, else {@code null}).
 */
public record RequestKind(Route route, boolean write, String entityId) {

    /** Where the id of a route's entity is. */
    public enum IdFrom {
        /** a segment of the path ({@code /api/devices/{id}}) */
        PATH,
        /** the body's {@code id} of a create on the collection, else the id the primary assigns */
        BODY,
        /** the route has no entity: its ordered writes are ordered per tenant */
        NONE
    }

    /**
     * What a route of the table says of the writes it matches (docs/policy.md, routes).
     *
     * @param tag         its name: the {@code route} tag of the request metrics
     * @param entity      the kind of entity its writes belong to ({@code device}), or {@code null}
     * @param idFrom      where that entity's id is
     * @param independent its writes queue behind nothing and nothing queues behind them (a reading,
     *                    written once); otherwise they are ordered with the entity's (or, without an
     *                    entity, the tenant's) other writes
     */
    public record Route(String tag, String entity, IdFrom idFrom, boolean independent) {

        /** {@value} */
        public static final String OTHER_TAG = "other";

        /** A path no route matches: it goes to V1 alone. */
        public static final Route OTHER = new Route(OTHER_TAG, null, IdFrom.NONE, false);

        /** The reference API's device record, {@code /api/devices/{id}} (a create on the collection takes its id from the body). */
        public static final Route DEVICES = new Route("devices", "device", IdFrom.PATH, false);

        /** The reference API's readings of a device, {@code /api/devices/{id}/telemetry}. */
        public static final Route TELEMETRY = new Route("telemetry", "device", IdFrom.PATH, true);
    }

    public boolean migrating() {
        return route != Route.OTHER;
    }
}
