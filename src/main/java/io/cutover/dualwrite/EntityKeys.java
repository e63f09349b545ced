package io.cutover.dualwrite;

import io.cutover.routing.RequestKind;

/**
 * The ordering contract of dual write (docs/dual-write.md): which writes reach the secondary in the
 * order the primary took them, and which are independent.
 * <ul>
 *   <li>A device record's writes (create, replace, merge, delete of {@code /api/devices/{id}}) are
 *       ordered: key {@code device:<id>}; a create is keyed by the id it creates.</li>
 *   <li>A reading ({@code POST /api/devices/{id}/telemetry}, {@code /api/telemetry}) is a resource
 *       of its own, written once: independent of every other write, it queues behind nothing. Its key
 *       names its device (for the outbox-order check of the write path and for the status).</li>
 *   <li>Any other write on a migrating path is ordered with its tenant's others: key {@code tenant:<t>}.</li>
 * </ul>
 */
final class EntityKeys {

    static final String DEVICE = "device:";
    static final String TENANT = "tenant:";

    /** An intent's entity, and whether it is ordered behind that entity's earlier writes. */
    record Key(String entity, boolean ordered) {
    }

    private EntityKeys() {
    }

    /** @param bodyId the id in the request body (a create that names its id), or {@code null} */
    static Key of(RequestKind kind, String tenant, String bodyId) {
        if (kind.route() == RequestKind.Route.TELEMETRY) {
            return new Key(kind.deviceId() != null ? DEVICE + kind.deviceId() : TENANT + tenant, false);
        }
        if (kind.deviceId() != null) {
            return new Key(DEVICE + kind.deviceId(), true);
        }
        if (kind.route() == RequestKind.Route.DEVICES && bodyId != null) {
            return new Key(DEVICE + bodyId, true);
        }
        return new Key(TENANT + tenant, true);
    }
}
