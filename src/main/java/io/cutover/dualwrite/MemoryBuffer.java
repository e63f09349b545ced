package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Intents held in memory, bounded, while the router's database is down; flushed into the outbox
 * when it is back. Also keeps the {@link DurabilityGap} of the last outage.
 */
final class MemoryBuffer {

    /**
     * An intent in memory and what the primary's answer made of it (null until settled). {@code stored}: the
     * intent itself is in the outbox (durable), only its settlement waits here; it is not part of the gap.
     */
    static final class Held {
        volatile WriteIntent intent;
        volatile String state;
        final Instant since;
        final boolean stored;
        /** The target and entity it was held under (null for a held settlement): see {@link #holds}. */
        final String slot;

        Held(WriteIntent intent, Instant since, boolean stored) {
            this.intent = intent;
            this.since = since;
            this.stored = stored;
            this.slot = stored ? null : slot(intent.target(), intent.entityKey());
        }
    }

    /** Held intents per target and entity: a write of such an entity is held behind them, even with the database back. */
    private final ConcurrentHashMap<String, Integer> entities = new ConcurrentHashMap<>();

    private static String slot(Backend target, String entityKey) {
        return target.id() + ' ' + entityKey;
    }

    /** How many intents of {@code entityKey} towards {@code target} are held (not yet stored); asked on every write. */
    int heldTowards(Backend target, String entityKey) {
        return entities.isEmpty() ? 0 : entities.getOrDefault(slot(target, entityKey), 0);
    }

    /** Whether intents of {@code entityKey} are held, towards either side. */
    boolean holds(String entityKey) {
        return heldTowards(Backend.V1, entityKey) > 0 || heldTowards(Backend.V2, entityKey) > 0;
    }

    private final int capacity;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicReference<DurabilityGap> lastGap = new AtomicReference<>();
    private volatile boolean open;

    MemoryBuffer(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Holds an intent; {@code null} when the buffer is full (the write is then lost for the secondary). */
    Held hold(WriteIntent intent) {
        Instant now = clock.instant();
        if (!open) {
            open = true;
            lastGap.set(DurabilityGap.startingAt(now));
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            lastGap.updateAndGet(g -> g.lose(now));
            return null;
        }
        Held h = new Held(intent, now, false);
        entities.merge(h.slot, 1, Integer::sum);
        held.add(h);
        lastGap.updateAndGet(g -> g.hold(now));
        return h;
    }

    /**
     * Holds the settlement of an intent that is stored (unconfirmed) but could not be settled; false when the
     * buffer is full (the row is then sent after the unconfirmed grace, as a dead router's would be).
     */
    boolean holdSettlement(WriteIntent intent, String state) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        Held h = new Held(intent, clock.instant(), true);
        h.state = state;
        held.add(h);
        return true;
    }

    int size() {
        return size.get();
    }

    DurabilityGap lastGap() {
        return lastGap.get();
    }

    /**
     * Takes up to {@code max} intents ready to store: settled ones (cancelled ones too: an insert that timed out
     * may have been stored after all, and must not be sent), and unsettled ones older than {@code unsettledBefore}.
     */
    List<Held> drain(int max, Instant unsettledBefore) {
        List<Held> out = new ArrayList<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext() && out.size() < max; ) {
            Held h = it.next();
            if (h.state != null || h.since.isBefore(unsettledBefore)) {
                out.add(h);
            }
        }
        return out;
    }

    void flushed(List<Held> stored) {
        held.removeAll(stored);
        for (Held h : stored) {
            if (h.slot != null) {
                entities.computeIfPresent(h.slot, (k, n) -> n == 1 ? null : n - 1);
            }
        }
        size.addAndGet(-stored.size());
        long intents = stored.stream().filter(h -> !h.stored && !OutboxStore.STATE_CANCELLED.equals(h.state)).count();
        lastGap.updateAndGet(g -> g == null ? null : g.flushed((int) intents));
        if (held.isEmpty()) {
            open = false;
        }
    }
}
