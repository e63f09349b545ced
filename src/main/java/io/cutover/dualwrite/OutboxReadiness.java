package io.cutover.dualwrite;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The outbox in the readiness details (the same figures as {@code /admin/status}). It never takes
 * the router out of service by itself: with the database down the router keeps serving (buffer
 * mode); strict mode refuses writes instead. What an operator needs is here: whether the database
 * is reachable, what is held in memory, and the last span that could not be made durable at once
 * (to backfill if anything was lost).
 */
@Readiness
@ApplicationScoped
public class OutboxReadiness implements HealthCheck {

    private final OutboxStatusReport report;

    OutboxReadiness(OutboxStatusReport report) {
        this.report = report;
    }

    @Override
    public HealthCheckResponse call() {
        OutboxStatus s = report.outboxStatus();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("outbox").up()
                .withData("database", s.database())
                .withData("mode", s.mode())
                .withData("heldInMemory", s.heldInMemory())
                .withData("pending", s.pending())
                .withData("oldestPendingAgeMs", s.oldestAgeMs())
                .withData("failed", s.failed());
        if (s.lastGap() != null) {
            s.lastGap().forEach((k, v) -> b.withData("lastGap." + k, String.valueOf(v)));
        }
        return b.build();
    }
}
