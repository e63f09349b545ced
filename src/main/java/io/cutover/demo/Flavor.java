package io.cutover.demo;

/**
 * Which platform a reference backend plays, with the names of its Hibernate Reactive persistence
 * unit and datasource ({@code quarkus.datasource.<unit>.*}) and of its database in the embedded
 * PostgreSQL.
 */
public enum Flavor {
    /** The old backend: single tenant, no tenant header needed. */
    V1("ref-v1", "cutover_ref_v1", "/reference/v1.sql"),
    /** The new backend: multi-tenant, requires the tenant header and scopes all data by it. */
    V2("ref-v2", "cutover_ref_v2", "/reference/v2.sql");

    private final String unit;
    private final String embeddedDatabase;
    private final String schema;

    Flavor(String unit, String embeddedDatabase, String schema) {
        this.unit = unit;
        this.embeddedDatabase = embeddedDatabase;
        this.schema = schema;
    }

    /** Name of the persistence unit and of its datasource: {@code ref-v1}, {@code ref-v2}. */
    public String unit() {
        return unit;
    }

    /** Database created in the embedded PostgreSQL when no URL is configured. */
    public String embeddedDatabase() {
        return embeddedDatabase;
    }

    /** Classpath resource of the reference schema. */
    String schema() {
        return schema;
    }
}
