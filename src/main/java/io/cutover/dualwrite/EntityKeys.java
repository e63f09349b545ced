package io.cutover.dualwrite;

import io.cutover.routing.RequestKind;

/**
 * The ordering contract of dual write (docs/dual-write.md), as the route table declares it
 * ({@link io.cutover.routing.RouteTable}): which writes reach the secondary in the order the primary
 * took them, and which are independent.
 * <ul>
 *   <li>A write on a route with an entity belongs to it: key {@code <entity>:<id>}, the id from the path
 *       ({@code device:<id>} for {@code /api/devices/{id}}) or, for a create on a collection
 *       ({@code id: body}), the body's id (else, once the primary answered, the id it assigned).</li>
 *   <li>Without an entity (or an id), a write belongs to its tenant: key {@code tenant:<t>}.</li>
 *   <li>Writes of an ordered route queue behind their entity's earlier writes; those of an
 *       {@code independent} route (a reading, written once) queue behind nothing. Their key still names
 *       their entity (for the outbox-order check of the write path and for the status).</li>
 * </ul>
 */
final class EntityKeys {

    static final String TENANT = "tenant:";

    /** An intent's entity, and whether it is ordered behind that entity's earlier writes. */
    record Key(String entity, boolean ordered) {
    }

    private EntityKeys() {
    }

    /** @param bodyId the id in the request body (a create that names its id), or {@code null} */
    static Key of(RequestKind kind, String tenant, String bodyId) {
        RequestKind.Route route = kind.route();
        String id = switch (route.idFrom()) {
            case PATH -> kind.entityId();
            case BODY -> bodyId;
            case NONE -> null;
        };
        boolean ordered = !route.independent();
        return id == null ? new Key(TENANT + tenant, ordered) : new Key(route.entity() + ':' + id, ordered);
    }
}
