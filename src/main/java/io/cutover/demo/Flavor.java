package io.cutover.demo;

/** Which platform a {@link DemoBackend} plays. */
public enum Flavor {
    /** The old backend: single tenant, no tenant header needed. */
    V1,
    /** The new backend: multi-tenant, requires the tenant header and scopes all data by it. */
    V2
}
