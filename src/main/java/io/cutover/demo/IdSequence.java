package io.cutover.demo;

/**
 * Numeric ids for telemetry readings, like a {@code BIGSERIAL}, except that client-supplied ids
 * move it past them so generated ids do not collide. Not thread-safe; {@link DemoStore} guards it.
 */
final class IdSequence {

    private long next = 1;

    long next() {
        return next++;
    }

    void advancePast(long used) {
        next = Math.max(next, used + 1);
    }
}
