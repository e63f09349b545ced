package io.cutover.demo;

/**
 * Which platform a reference backend plays, with the names of its reactive datasource
 * ({@code quarkus.datasource.<name>.*}) and of its database in the embedded PostgreSQL.
 */
public enum Flavor {
    /** The old backend: single tenant, no tenant header needed. */
    V1("ref-v1", "cutover_ref_v1", "/reference/v1.sql"),
    /** The new backend: multi-tenant, requires the tenant header and scopes all data by it. */
    V2("ref-v2", "cutover_ref_v2", "/reference/v2.sql");

    private final String datasource;
    private final String embeddedDatabase;
    private final String schema;

    Flavor(String datasource, String embeddedDatabase, String schema) {
        this.datasource = datasource;
        this.embeddedDatabase = embeddedDatabase;
        this.schema = schema;
    }

    /** Name of its reactive datasource: {@code ref-v1}, {@code ref-v2}. */
    public String datasource() {
        return datasource;
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
