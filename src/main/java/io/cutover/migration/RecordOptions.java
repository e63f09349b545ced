package io.cutover.migration;

import picocli.CommandLine.Option;

/**
 * Where a job records its run (the router's own database, whose {@code cutover_migration_runs} the router
 * created at start); nothing is recorded without {@code --record-url}.
 */
public final class RecordOptions {

    @Option(names = "--record-url", paramLabel = "URL", defaultValue = "${env:CUTOVER_MIGRATION_RECORD_URL}",
            description = "the router's database, to record this run for GET /admin/status"
                    + " (env CUTOVER_MIGRATION_RECORD_URL); default: not recorded")
    String url;
    @Option(names = "--record-user", defaultValue = "${env:CUTOVER_MIGRATION_RECORD_USERNAME}",
            description = "record database user (env CUTOVER_MIGRATION_RECORD_USERNAME)")
    String user;
    @Option(names = "--record-password", defaultValue = "${env:CUTOVER_MIGRATION_RECORD_PASSWORD}",
            description = "record database password (env CUTOVER_MIGRATION_RECORD_PASSWORD)")
    String password;

    /** The record database, or null when runs are not recorded. */
    public Endpoint endpoint() {
        return url == null || url.isBlank() ? null : new Endpoint("record", url, user, password);
    }
}
