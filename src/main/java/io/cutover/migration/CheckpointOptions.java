package io.cutover.migration;

import picocli.CommandLine.Option;

/**
 * Where the jobs keep their own state: backfill checkpoints, shard plans and rejected rows (the V2 database unless
 * another is given). Verify reads the rejects there.
 */
public final class CheckpointOptions {

    @Option(names = "--checkpoint-url", paramLabel = "URL", defaultValue = "${env:CUTOVER_MIGRATION_CHECKPOINT_URL}",
            description = "database for checkpoints, shard plans and rejected rows (env CUTOVER_MIGRATION_CHECKPOINT_URL);"
                    + " default: the V2 database, where each batch and its checkpoint commit together")
    String url;
    @Option(names = "--checkpoint-user", defaultValue = "${env:CUTOVER_MIGRATION_CHECKPOINT_USERNAME}",
            description = "checkpoint database user (env CUTOVER_MIGRATION_CHECKPOINT_USERNAME)")
    String user;
    @Option(names = "--checkpoint-password", defaultValue = "${env:CUTOVER_MIGRATION_CHECKPOINT_PASSWORD}",
            description = "checkpoint database password (env CUTOVER_MIGRATION_CHECKPOINT_PASSWORD)")
    String password;

    /** The checkpoint database, or null to keep the state in the V2 database. */
    public Endpoint endpoint() {
        return url == null || url.isBlank() ? null : new Endpoint("checkpoint", url, user, password);
    }
}
