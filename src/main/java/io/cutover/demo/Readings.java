package io.cutover.demo;

import io.smallrye.mutiny.Uni;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/** What V1's and V2's telemetry share: the time-window query and the check of a client's id. */
final class Readings {

    private Readings() {
    }

    /** A device's readings in the window ({@code from} inclusive, {@code to} exclusive), in time order. */
    static <R> Uni<List<R>> window(Mutiny.Session session, String entity, Class<R> type, String tenant, String deviceId, TimeWindow window) {
        StringBuilder hql = new StringBuilder("from ").append(entity).append(" r where r.deviceId = :device");
        if (tenant != null) {
            hql.append(" and r.tenantId = :tenant");
        }
        if (window.from() != null) {
            hql.append(" and r.timestamp >= :from");
        }
        if (window.to() != null) {
            hql.append(" and r.timestamp < :to");
        }
        Mutiny.SelectionQuery<R> query = session.createSelectionQuery(hql.append(" order by r.timestamp, r.id").toString(), type)
                .setParameter("device", deviceId);
        if (tenant != null) {
            query.setParameter("tenant", tenant);
        }
        if (window.from() != null) {
            query.setParameter("from", window.from());
        }
        if (window.to() != null) {
            query.setParameter("to", window.to());
        }
        return query.setMaxResults(window.limit()).getResultList();
    }

    /** The client's id, or a 409 when a reading (of any tenant: ids are global keys) has it. */
    static Uni<Long> requireFree(Mutiny.Session session, Class<?> type, long id) {
        return session.find(type, id).map(found -> {
            if (found != null) {
                throw ApiError.conflict("telemetry reading " + id + " already exists");
            }
            return id;
        });
    }
}
