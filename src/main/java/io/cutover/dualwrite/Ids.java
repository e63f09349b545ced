package io.cutover.dualwrite;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of dual writes (outbox rows, generated idempotency keys): UUID version 7 (RFC 9562, 5.7), a
 * millisecond timestamp then 74 random bits. Time-ordered, so the outbox's primary key index grows at
 * its right edge instead of being written all over; random bits from {@link ThreadLocalRandom}, not
 * {@code SecureRandom}: these ids name rows and requests, they guard nothing, and {@code UUID.randomUUID()}
 * cost a lock-free but slow SecureRandom draw twice per write.
 */
final class Ids {

    private Ids() {
    }

    static UUID next() {
        return at(System.currentTimeMillis(), ThreadLocalRandom.current());
    }

    static UUID at(long epochMillis, ThreadLocalRandom random) {
        long high = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
