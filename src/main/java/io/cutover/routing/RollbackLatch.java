package io.cutover.routing;

/**
 * The seam where the rollback guard forces everything onto V1. Read once per request; the
 * implementation must answer from memory (no I/O on the request path).
 */
public interface RollbackLatch {

    /** Whether a rollback is latched now: all traffic to V1, pins included. */
    boolean isLatched();
}
