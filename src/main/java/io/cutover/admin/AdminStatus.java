package io.cutover.admin;

import io.cutover.dualwrite.OutboxStatus;
import io.cutover.notify.WebhookNotifier;
import io.cutover.progression.ProgressionView;
import io.cutover.rollback.GuardFigures;
import io.cutover.rollback.LatchState;
import io.cutover.tenantstate.TenantView;
import io.cutover.shadow.ShadowStatus;
import java.time.Instant;
import java.util.List;
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
        List<TenantView> tenants,
        ShadowStatus shadow,
        ProgressionView progression,
        WebhookNotifier.Status notifications) {

    /**
     * The traffic policy in force and where it came from.
     *
     * @param pins        the pins applied
     * @param refusedPins pins to V2 of the file that are not applied, tenant -> why (its last verify found differences)
     */
    public record Policy(double v2Weight, String stickyBy, Map<String, String> pins, boolean dualWrite,
                         double shadowReads, Map<String, Object> rollback, long version, String source,
                         Instant loadedAt, Map<String, String> refusedPins) {
    }

    /** The rollback latch. */
    public record Latch(boolean latched, String state, String cause, String reason, String by, Instant since,
                        GuardFigures figures, long version) {
        static Latch of(LatchState s) {
            return new Latch(s.latched(), s.state().name().toLowerCase(java.util.Locale.ROOT), s.cause(), s.reason(),
                    s.by(), s.since(), s.figures(), s.version());
        }
    }

    /**
     * The rollback guard's verdict and what it rests on (docs/rollback.md).
     *
     * @param lastVerdict         no-data, inconclusive, healthy, degraded, error-rate or p99-latency
     * @param reason              the verdict explained: counts on each side, the bounds, the confidence
     * @param window              both backends' calls over {@code rollback.window} (calls that reached them), as before
     *                            any test
     * @param evidence            the evidence the verdict weighed: requests and failures on each side over the last
     *                            {@code windowMs}, the bounds, the test, the confidence it needs and the confidence reached
     * @param inconclusiveWindows windows in a row in which V2 could not be judged (no data or not enough evidence); 0 once it can
     * @param blindSeconds        how long that has lasted
     * @param noDataSeconds       how long no V2 request has reached V2 within the horizon; 0 otherwise
     */
    public record Guard(String lastVerdict, String reason, GuardFigures window, GuardFigures evidence, long inconclusiveWindows,
                        double blindSeconds, double noDataSeconds) {
    }
}
