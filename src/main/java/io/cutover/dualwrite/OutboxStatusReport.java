package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outbox's figures for {@code GET /admin/status}, from memory (refreshed each second by the worker). */
@Singleton
class OutboxStatusReport implements OutboxStatusSource {

    private final Outbox outbox;
    private final OutboxWorker worker;

    OutboxStatusReport(Outbox outbox, OutboxWorker worker) {
        this.outbox = outbox;
        this.worker = worker;
    }

    @Override
    public OutboxStatus outboxStatus() {
        long pending = 0;
        long failed = 0;
        long oldestMs = 0;
        double lag = 0;
        Map<String, Map<String, Object>> targets = new LinkedHashMap<>();
        for (Backend b : Backend.values()) {
            OutboxStore.Backlog backlog = worker.backlog(b);
            long ageMs = (long) (worker.oldestAgeSeconds(b) * 1000);
            pending += backlog.open();
            failed += backlog.failed();
            oldestMs = Math.max(oldestMs, ageMs);
            lag = Math.max(lag, worker.oldestAgeSeconds(b));
            targets.put(b.id(), Map.of("pending", backlog.open(), "oldestAgeMs", ageMs, "lagSeconds", worker.oldestAgeSeconds(b),
                    "failed", backlog.failed(), "blockedEntities", backlog.blockedEntities()));
        }
        List<Map<String, Object>> blocked = new ArrayList<>();
        for (OutboxStore.Blocked x : worker.blocked()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", x.target().id());
            m.put("entity", x.entityKey());
            m.put("since", x.since().toString());
            m.put("attempts", x.attempts());
            m.put("reason", x.reason());
            m.put("waiting", x.waiting());
            blocked.add(m);
        }
        DurabilityGap gap = outbox.lastGap();
        Map<String, Object> lastGap = null;
        if (gap != null) {
            lastGap = new LinkedHashMap<>();
            lastGap.put("from", gap.from().toString());
            lastGap.put("to", gap.to().toString());
            lastGap.put("held", gap.held());
            lastGap.put("flushed", gap.flushed());
            lastGap.put("lost", gap.lost());
        }
        return new OutboxStatus(true, pending, oldestMs, failed, outbox.databaseDown() ? "down" : "up",
                outbox.strict() ? "strict" : "buffer", outbox.heldInMemory(), targets, lastGap, lag, blocked);
    }
}
