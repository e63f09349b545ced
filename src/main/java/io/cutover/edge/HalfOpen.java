package io.cutover.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connections that are waiting for a request head right now, all clients together, oldest first. When one more
 * than {@code max} wait, the one that has waited longest is closed: a slowloris client holds its connections open as
 * long as it can, so the oldest waiting connections are almost always its own, while an ordinary client's connection
 * waits only the few milliseconds its head takes to arrive. Refusing the newest instead would let an attacker who
 * keeps {@code max} connections open lock every new client out until the timeout; closing the oldest costs the
 * attacker its connections and lets new clients through.
 *
 * <p>Thread-safe: connections of every event loop enter and leave it; each wait is closed on its own event loop.
 */
final class HalfOpen {

    private final int max;
    private final ConcurrentSkipListMap<Long, HeadWait> waiting = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();

    HalfOpen(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("cutover.edge.max-half-open: " + max + " (expected: >= 1)");
        }
        this.max = max;
    }

    /** {@code wait} starts waiting for a head; returns its ticket for {@link #leave(long)}. May evict the oldest wait. */
    long enter(HeadWait wait) {
        long ticket = sequence.incrementAndGet();
        waiting.put(ticket, wait);
        if (count.incrementAndGet() > max) {
            Map.Entry<Long, HeadWait> oldest = waiting.pollFirstEntry();
            if (oldest != null) {
                count.decrementAndGet();
                oldest.getValue().evict(oldest.getKey());
            }
        }
        return ticket;
    }

    /** The wait with this ticket is over (its head arrived, or its connection closed); nothing if it was evicted. */
    void leave(long ticket) {
        if (waiting.remove(ticket) != null) {
            count.decrementAndGet();
        }
    }

    /** Connections waiting for a head now. */
    int size() {
        return count.get();
    }
}
