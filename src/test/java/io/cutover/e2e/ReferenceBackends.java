package io.cutover.e2e;

/**
 * V1 and V2 serving the reference API on 127.0.0.1, hosted by the test. The chaos test drives the
 * router against them over HTTP only, so the host behind this interface can be swapped.
 */
interface ReferenceBackends extends AutoCloseable {

    String v1Url();

    String v2Url();

    /** What hosts them, for the test log. */
    String describe();

    @Override
    void close() throws Exception;
}
