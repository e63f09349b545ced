package io.cutover.notify;

import io.cutover.rollback.SharedLatch;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;

/** Tells the latches and releases made on this replica (the replica that made the change; the others only follow it). */
@ApplicationScoped
class LatchNotices {

    void register(@Observes StartupEvent event, SharedLatch latch, Notifier notifier, Clock clock) {
        latch.addListener((before, after, local) -> {
            if (!local || before.latched() == after.latched()) {
                return;
            }
            if (after.latched()) {
                notifier.notify(Notice.of(Notice.Event.LATCHED, clock.instant(), ":rotating_light: Cutover: rollback latched by "
                        + after.by() + " (" + after.cause() + "): " + after.reason() + ". All traffic on V1 until released.",
                        "cause", after.cause(), "reason", after.reason(), "by", after.by(), "since", after.since()));
            } else {
                notifier.notify(Notice.of(Notice.Event.RELEASED, clock.instant(), ":white_check_mark: Cutover: rollback released by "
                        + after.by() + ": " + after.reason() + ". Routing follows the policy again.",
                        "reason", after.reason(), "by", after.by(), "since", after.since()));
            }
        });
    }
}
