package io.cutover.migration;

import picocli.CommandLine.Option;

/** Connection options shared by the jobs; each falls back to its CUTOVER_MIGRATION_* environment variable. */
public final class DatabaseOptions {

    @Option(names = "--v1-url", paramLabel = "URL", defaultValue = "${env:CUTOVER_MIGRATION_V1_URL}",
            description = "V1 (source) database, postgresql://host:port/db (env CUTOVER_MIGRATION_V1_URL)")
    String v1Url;
    @Option(names = "--v1-user", defaultValue = "${env:CUTOVER_MIGRATION_V1_USERNAME}",
            description = "V1 user (env CUTOVER_MIGRATION_V1_USERNAME)")
    String v1User;
    @Option(names = "--v1-password", defaultValue = "${env:CUTOVER_MIGRATION_V1_PASSWORD}",
            description = "V1 password (env CUTOVER_MIGRATION_V1_PASSWORD)")
    String v1Password;
    @Option(names = "--v2-url", paramLabel = "URL", defaultValue = "${env:CUTOVER_MIGRATION_V2_URL}",
            description = "V2 (target) database, postgresql://host:port/db (env CUTOVER_MIGRATION_V2_URL)")
    String v2Url;
    @Option(names = "--v2-user", defaultValue = "${env:CUTOVER_MIGRATION_V2_USERNAME}",
            description = "V2 user (env CUTOVER_MIGRATION_V2_USERNAME)")
    String v2User;
    @Option(names = "--v2-password", defaultValue = "${env:CUTOVER_MIGRATION_V2_PASSWORD}",
            description = "V2 password (env CUTOVER_MIGRATION_V2_PASSWORD)")
    String v2Password;

    public Endpoint v1() {
        return endpoint("v1", v1Url, v1User, v1Password, "--v1-url", "CUTOVER_MIGRATION_V1_URL");
    }

    public Endpoint v2() {
        return endpoint("v2", v2Url, v2User, v2Password, "--v2-url", "CUTOVER_MIGRATION_V2_URL");
    }

    static Endpoint endpoint(String label, String url, String user, String password, String option, String env) {
        if (url == null || url.isBlank()) {
            throw new JobFailure(JobFailure.UNUSABLE, "missing " + option + " (or environment variable " + env + ")");
        }
        return new Endpoint(label, url, user, password);
    }
}
