package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.DatabaseOptions;
import io.cutover.migration.Databases;
import io.cutover.migration.Endpoint;
import io.cutover.migration.Mapping;
import io.cutover.migration.MappingOptions;
import io.cutover.migration.RecordOptions;
import io.cutover.migration.RunLog;
import io.cutover.tenantstate.BackfillStep;
import java.time.Clock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copy V1's tables into V2 by the mapping: preflight, then each table in order, keyset pages,"
                + " multi-row idempotent upserts, a checkpoint per batch (a killed run resumes).%n"
                + "Exit 0 done, 2 bad usage, unreachable database, failed preflight or a failure mid-run.")
public final class BackfillCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions db;
    @Mixin
    MappingOptions mapping;
    @Mixin
    RecordOptions record;

    @Option(names = "--checkpoint-url", paramLabel = "URL", defaultValue = "${env:CUTOVER_MIGRATION_CHECKPOINT_URL}",
            description = "database for checkpoints (env CUTOVER_MIGRATION_CHECKPOINT_URL); default: the V2 database,"
                    + " where each batch and its checkpoint commit together")
    String checkpointUrl;
    @Option(names = "--checkpoint-user", defaultValue = "${env:CUTOVER_MIGRATION_CHECKPOINT_USERNAME}",
            description = "checkpoint database user (env CUTOVER_MIGRATION_CHECKPOINT_USERNAME)")
    String checkpointUser;
    @Option(names = "--checkpoint-password", defaultValue = "${env:CUTOVER_MIGRATION_CHECKPOINT_PASSWORD}",
            description = "checkpoint database password (env CUTOVER_MIGRATION_CHECKPOINT_PASSWORD)")
    String checkpointPassword;
    @Option(names = "--batch-size", defaultValue = "" + BackfillOptions.DEFAULT_BATCH_SIZE,
            description = "rows per page and per upsert (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--max-rows-per-second", defaultValue = "0", description = "throttle; 0 for none (default)")
    long maxRowsPerSecond;
    @Option(names = "--max-batches", defaultValue = "0",
            description = "stop after this many batches (resumable, e.g. to copy in slices); 0 for no limit")
    long maxBatches;
    @Option(names = "--writers", defaultValue = "" + BackfillOptions.DEFAULT_WRITERS,
            description = "pages written at once, each in its own transaction (1.." + BackfillOptions.MAX_WRITERS
                    + ", default: ${DEFAULT-VALUE}); the checkpoint trails by at most this many pages")
    int writers;
    @Option(names = "--restart", description = "forget the checkpoints and start from the first row")
    boolean restart;
    @Option(names = "--progress", defaultValue = "auto",
            description = "auto (a bar on a terminal, log lines otherwise), bar, log or none")
    String progress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Mapping m = mapping.load();
        var options = new BackfillOptions(batchSize, maxRowsPerSecond, maxBatches, restart, writers);
        Endpoint checkpoint = checkpointUrl == null || checkpointUrl.isBlank() ? null
                : new Endpoint("checkpoint", checkpointUrl, checkpointUser, checkpointPassword);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Databases dbs = Databases.open(db.v1(), db.v2(), checkpoint, record.endpoint(), writers + 2)) {
            RunLog run = RunLog.start(dbs.record(), record.endpoint(), "backfill", mapping.tenant(), Clock.systemUTC());
            return run.run(() -> {
                BackfillSummary summary = new Backfill(dbs, options, progress(err), Ticker.SYSTEM).run(m);
                summary.print(out);
                String tenant = mapping.tenant();
                if (summary.complete() && tenant != null && dbs.record() != null
                        && Await.result(BackfillStep.completed(dbs.record(), tenant, "backfill --tenant " + tenant
                        + " completed", Clock.systemUTC().instant()))) {
                    out.println("tenant " + tenant + ": dual-write -> backfilled");
                }
                return new RunLog.Outcome(0, summary.summary());
            });
        }
    }

    private Progress progress(PrintWriter err) {
        return switch (progress) {
            case "bar" -> RateProgress.bar(err, Ticker.SYSTEM);
            case "log" -> RateProgress.log(err, Ticker.SYSTEM, Duration.ofSeconds(5));
            case "none" -> Progress.NONE;
            default -> System.console() != null ? RateProgress.bar(err, Ticker.SYSTEM)
                    : RateProgress.log(err, Ticker.SYSTEM, Duration.ofSeconds(5));
        };
    }
}
