package io.cutover.history;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The default {@link OutboxLag}: the outbox's gauge. */
class HistoryBeans {

    @Produces
    @DefaultBean
    @Singleton
    OutboxLag outboxLag(MeterRegistry registry) {
        return new MeterOutboxLag(registry);
    }
}
