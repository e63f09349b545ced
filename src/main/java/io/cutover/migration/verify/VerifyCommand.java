package io.cutover.migration.verify;

import io.cutover.clock.Ticker;
import io.cutover.migration.CheckpointOptions;
import io.cutover.migration.DatabaseOptions;
import io.cutover.migration.Rejects;
import io.cutover.migration.Sleeper;
import io.cutover.migration.shard.Shard;
import java.util.Map;
import io.cutover.migration.Databases;
import io.cutover.migration.DurationConverter;
import io.cutover.migration.MappingOptions;
import io.cutover.migration.RecordOptions;
import io.cutover.migration.RunLog;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare V1's mapped rows with V2's: counts and checksums per key range, narrowed down to the"
                + " rows that differ; reads only (sharded, it keeps the shard plan in the checkpoint database).%n"
                + "Rows the backfill set aside (" + Rejects.TABLE + ") are reported as rejected, not missing.%n"
                + "Exit 0 equal, 1 differences found, 2 bad usage, unreachable database or failed preflight,"
                + " 3 the only differences are rejected rows.")
public final class VerifyCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    DatabaseOptions db;
    @Mixin
    MappingOptions mapping;
    @Mixin
    RecordOptions record;
    @Mixin
    CheckpointOptions checkpoint;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json")
    Format format;
    @Option(names = "--exclude-recent", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "leave out rows written this recently (by the mapping's 'recent' column), e.g. 10s")
    Duration excludeRecent;
    @Option(names = "--segments", defaultValue = "" + VerifyOptions.DEFAULT_SEGMENTS,
            description = "key ranges of the first checksum pass (default: ${DEFAULT-VALUE})")
    int segments;
    @Option(names = "--max-differences", defaultValue = "" + VerifyOptions.DEFAULT_MAX_DIFFERENCES,
            description = "stop narrowing down after this many differing rows (default: ${DEFAULT-VALUE})")
    int maxDifferences;
    @Option(names = "--shard", paramLabel = "I/N", defaultValue = "${env:CUTOVER_MIGRATION_SHARD}",
            description = "compare only shard I of N (0 <= I < N) of every table, cut at V1's key quantiles (the plan"
                    + " is kept in the checkpoint database so that all N agree) (env CUTOVER_MIGRATION_SHARD)")
    String shard;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var options = new VerifyOptions(excludeRecent, segments, VerifyOptions.DEFAULT_ROW_LEVEL, maxDifferences);
        var m = mapping.load();
        Shard part = Shard.parse(shard);
        try (Databases dbs = Databases.open(db.v1(), db.v2(), checkpoint.endpoint(), record.endpoint(), 4)) {
            RunLog run = RunLog.start(dbs.record(), record.endpoint(), "verify", mapping.tenant(), Clock.systemUTC());
            return run.run(() -> {
                VerifyReport report = new Verify(dbs, options, Clock.systemUTC(), Ticker.SYSTEM).run(m, mapping.tenant(),
                        part, Sleeper.THREAD);
                PrintWriter out = spec.commandLine().getOut();
                if (format == Format.json) {
                    report.printJson(out);
                } else {
                    report.printText(out);
                }
                Map<String, Object> summary = report.summary(RunLog.FIRST_DIFFERENCES);
                if (part.sharded()) {
                    summary.put("shard", part.index());
                    summary.put("shards", part.count());
                }
                return new RunLog.Outcome(report.exitCode(), summary);
            });
        }
    }
}
