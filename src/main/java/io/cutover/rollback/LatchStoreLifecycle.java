package io.cutover.rollback;

import io.cutover.database.RouterDatabase;
import io.cutover.observability.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Starts the {@link LatchStore} of this replica against the router's database, if there is one. */
@ApplicationScoped
public class LatchStoreLifecycle {

    private static final Logger LOG = Logger.getLogger(LatchStoreLifecycle.class);
    /** How long start-up waits for the shared row, so that a restarted replica comes up latched. */
    static final Duration START_READ_WAIT = Duration.ofSeconds(5);

    private LatchStore store;

    void start(@Observes @Priority(20) StartupEvent event, RouterDatabase db, Vertx vertx, SharedLatch latch,
               RollbackConfig config, MeterRegistry registry) {
        if (!db.configured()) {
            LOG.warn("no router database (quarkus.datasource.reactive.url): the rollback latch is local to this replica");
            return;
        }
        for (String op : new String[] {"read", "write"}) {
            registry.counter(MetricNames.ROLLBACK_STORE_ERRORS, MetricNames.TAG_OPERATION, op);
        }
        store = new LatchStore(vertx, db.pool(), db.connectOptions(), latch, config.pollInterval(),
                op -> registry.counter(MetricNames.ROLLBACK_STORE_ERRORS, MetricNames.TAG_OPERATION, op).increment());
        store.start(START_READ_WAIT);
    }

    /** Whether this replica's latch is in the shared row (true without a database: nothing to write). */
    public boolean written() {
        return store == null || !store.hasUnwrittenChange();
    }

    void stop(@Observes ShutdownEvent event) {
        if (store != null) {
            store.stop();
        }
    }
}
