package io.cutover.admin;

import io.cutover.dualwrite.OutboxStatus;
import io.cutover.dualwrite.OutboxStatusSource;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

@ApplicationScoped
class AdminBeans {

    /** Until the outbox provides its own: no outbox figures. */
    @Produces
    @DefaultBean
    @ApplicationScoped
    OutboxStatusSource noOutbox() {
        return () -> OutboxStatus.NOT_AVAILABLE;
    }
}
