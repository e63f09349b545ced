package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.DatabaseOptions;
import io.cutover.migration.Databases;
import io.cutover.migration.CheckpointOptions;
import io.cutover.migration.DurationConverter;
import io.cutover.migration.Rejects;
import io.cutover.migration.shard.Shard;
import io.cutover.migration.Mapping;
import io.cutover.migration.MappingOptions;
import io.cutover.migration.RecordOptions;
import io.cutover.migration.RunLog;
import io.cutover.migration.ShardProgressLog;
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
                + " Rows V2 refuses are set aside (" + Rejects.TABLE + ") and the rest goes in.%n"
                + "Exit 0 done, 2 bad usage, unreachable database, failed preflight or a failure mid-run (more than"
                + " --max-rejects rows refused, too), 3 done with rows refused.")
public final class BackfillCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions db;
    @Mixin
    MappingOptions mapping;
    @Mixin
    RecordOptions record;

    @Mixin
    CheckpointOptions checkpoint;

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
    @Option(names = "--restart", description = "forget the checkpoints (this shard's) and start from the first row")
    boolean restart;
    @Option(names = "--shard", paramLabel = "I/N", defaultValue = "${env:CUTOVER_MIGRATION_SHARD}",
            description = "copy only shard I of N (0 <= I < N) of every table: key ranges cut at the source's key"
                    + " quantiles, checkpoints of its own; run all N at once (env CUTOVER_MIGRATION_SHARD)")
    String shard;
    @Option(names = "--shard-wait", paramLabel = "DURATION", defaultValue = "6h", converter = DurationConverter.class,
            description = "how long a shard waits for the others to finish a table the next one depends on"
                    + " (default: ${DEFAULT-VALUE}); then exit 2, resumable")
    Duration shardWait;
    @Option(names = "--max-rejects", defaultValue = "" + BackfillOptions.DEFAULT_MAX_REJECTS,
            description = "rows V2 may refuse (set aside in " + Rejects.TABLE + ") before the run stops with exit 2"
                    + " (default: ${DEFAULT-VALUE}); 0 stops at the first")
    long maxRejects;
    @Option(names = "--throttle-query", paramLabel = "SQL",
            description = "run on V2 every second while copying; returns one number (e.g. replication lag in seconds)")
    String throttleQuery;
    @Option(names = "--throttle-max", paramLabel = "X", defaultValue = "0",
            description = "above this value of --throttle-query the copy pauses until it is back at or below it")
    double throttleMax;
    @Option(names = "--progress", defaultValue = "auto",
            description = "auto (a bar on a terminal, log lines otherwise), bar, log or none")
    String progress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Mapping m = mapping.load();
        var options = new BackfillOptions(batchSize, maxRowsPerSecond, maxBatches, restart, writers,
                Shard.parse(shard), maxRejects, throttleQuery, throttleMax, shardWait);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Databases dbs = Databases.open(db.v1(), db.v2(), checkpoint.endpoint(), record.endpoint(), writers + 2)) {
            RunLog run = RunLog.start(dbs.record(), record.endpoint(), "backfill", mapping.tenant(), Clock.systemUTC());
            var recorded = new RecordedProgress(progress(err), ShardProgressLog.open(dbs.record(), Backfill.JOB, m.name(),
                    options.shard(), Clock.systemUTC()), Ticker.SYSTEM);
            return run.run(() -> {
                BackfillSummary summary;
                try {
                    summary = new Backfill(dbs, options, recorded, Ticker.SYSTEM).run(m);
                } catch (RuntimeException e) {
                    recorded.ended("failed", e.getMessage());
                    throw e;
                }
                recorded.ended(summary.complete() ? "done" : "stopped", summary.rejected() > 0
                        ? summary.rejected() + " rows rejected" : null);
                summary.print(out);
                String tenant = mapping.tenant();
                if (summary.everyShardDone() && tenant != null && dbs.record() != null
                        && new Rejects(dbs.checkpoint(), m.name()).all().isEmpty()
                        && Await.result(BackfillStep.completed(dbs.record(), tenant, "backfill --tenant " + tenant
                        + " completed", Clock.systemUTC().instant()))) {
                    out.println("tenant " + tenant + ": dual-write -> backfilled");
                }
                return new RunLog.Outcome(summary.exitCode(), summary.summary());
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
