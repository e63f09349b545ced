package io.cutover.admin;

import io.cutover.rollback.GuardFigures;
import io.cutover.rollback.LatchState;
import io.cutover.shadow.ShadowStatus;
import java.time.Instant;
import java.util.Map;

/** The body of {@code GET /admin/status}. */
public record AdminStatus(
        double effectiveV2Weight,
        Policy policy,
        Latch latch,
        Map<String, String> breakers,
        Guard guard,
        OutboxStatus outbox,
        MigrationStatus migration,
        ShadowStatus shadow) {

    /** The traffic policy in force and where it came from. */
    public record Policy(double v2Weight, String stickyBy, Map<String, String> pins, boolean dualWrite,
                         double shadowReads, Map<String, Object> rollback, long version, String source,
                         Instant loadedAt) {
    }

    /** The rollback latch. */
    public record Latch(boolean latched, String state, String cause, String reason, String by, Instant since,
                        GuardFigures figures, long version) {
        static Latch of(LatchState s) {
            return new Latch(s.latched(), s.state().name().toLowerCase(java.util.Locale.ROOT), s.cause(), s.reason(),
                    s.by(), s.since(), s.figures(), s.version());
        }
    }

    /** The rollback guard's current window and its last verdict. */
    public record Guard(String lastVerdict, GuardFigures window) {
    }
}
