package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The outbox in the readiness details. It never takes the router out of service by itself: with
 * the database down the router keeps serving (buffer mode); strict mode refuses writes instead.
 * What an operator needs is here: whether the database is reachable, what is held in memory, and
 * the last span that could not be made durable at once (to backfill if anything was lost).
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {

    private final Outbox outbox;
    private final OutboxWorker worker;

    OutboxReadiness(Outbox outbox, OutboxWorker worker) {
        this.outbox = outbox;
        this.worker = worker;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("outbox").up()
                .withData("database", outbox.databaseDown() ? "down" : "up")
                .withData("mode", outbox.strict() ? "strict" : "buffer")
                .withData("heldInMemory", outbox.heldInMemory());
        for (Backend t : Backend.values()) {
            b.withData(t.id() + ".pending", worker.backlog(t).open());
            b.withData(t.id() + ".oldestPendingAgeSeconds", (long) worker.oldestAgeSeconds(t));
        }
        DurabilityGap gap = outbox.lastGap();
        if (gap != null) {
            b.withData("lastGap.from", gap.from().toString())
                    .withData("lastGap.to", gap.to().toString())
                    .withData("lastGap.held", gap.held())
                    .withData("lastGap.flushed", gap.flushed())
                    .withData("lastGap.lost", gap.lost());
        }
        return b.build();
    }
}
