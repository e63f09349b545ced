package io.cutover.migration;

/** Waits on a job's thread (throttles, pauses, waits on other shards); tests pass one that advances their ticker. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));

    void sleepNanos(long nanos) throws InterruptedException;

    /** Sleeps; an interrupt ends the job (exit 2, resumable). */
    default void sleep(long nanos) {
        try {
            sleepNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(JobFailure.UNUSABLE, "interrupted", e);
        }
    }
}
