package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.Databases;
import io.cutover.migration.Mapping;
import io.cutover.migration.Preflight;
import io.cutover.migration.PreflightReport;
import io.cutover.migration.Rejects;
import io.cutover.migration.Sleeper;
import io.cutover.migration.Sql;
import io.cutover.migration.TableMapping;
import io.cutover.migration.TableSchema;
import io.cutover.migration.shard.KeyQuantiles;
import io.cutover.migration.shard.Shard;
import io.cutover.migration.shard.ShardPlans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The backfill job: preflight (nothing is written if it fails), checkpoints, the mapping's setup
 * statements, then each table in the mapping's (dependency) order, resuming from its checkpoint.
 *
 * <p>Sharded ({@code --shard I/N}), each table's key space is cut at the bounds of a plan shared through the
 * checkpoint database, this run copies its own range with checkpoints of its own, and a shard starts a table only
 * when every shard has finished the table before it: a table's rows never arrive before the rows they refer to
 * (users, then devices, then telemetry), however the shards run.
 */
public final class Backfill {

    /** The job name shard plans are kept under. */
    static final String JOB = "backfill";

    private final Databases dbs;
    private final BackfillOptions options;
    private final Progress progress;
    private final Ticker ticker;
    private final Sleeper sleeper;

    public Backfill(Databases dbs, BackfillOptions options, Progress progress, Ticker ticker) {
        this(dbs, options, progress, ticker, Sleeper.THREAD);
    }

    public Backfill(Databases dbs, BackfillOptions options, Progress progress, Ticker ticker, Sleeper sleeper) {
        this.dbs = dbs;
        this.options = options;
        this.progress = progress;
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    public BackfillSummary run(Mapping mapping) {
        long started = ticker.nanos();
        Shard shard = options.shard();
        PreflightReport preflight = Preflight.run(mapping, dbs.source(), dbs.target()).orThrow();
        HealthThrottle health = options.throttleQuery() == null ? HealthThrottle.NONE : new HealthThrottle(
                HealthThrottle.Probe.sql(dbs.target(), options.throttleQuery()), options.throttleMax(), ticker, sleeper);
        if (health.active()) {
            health.validate();
        }
        var checkpoints = new Checkpoints(dbs.checkpoint(), shard.checkpointName(mapping.name()));
        checkpoints.ensureTable();
        var rejects = new Rejects(dbs.checkpoint(), mapping.name());
        rejects.ensureTable();
        var plans = new ShardPlans(dbs.checkpoint(), JOB, mapping.name(), shard, ticker, sleeper);
        if (shard.sharded()) {
            plans.ensureTables();
        }
        if (options.restart()) {
            checkpoints.clear();
            if (shard.sharded()) {
                plans.forgetMarks();
            }
        }
        Map<String, Checkpoints.Checkpoint> saved = checkpoints.load();
        for (String statement : mapping.setup()) {
            Await.result(dbs.target().query(statement).execute());
        }
        String run = Instant.now() + (shard.sharded() ? " shard " + shard.label() : "");
        var sinks = new TableCopy.Sinks(dbs.target(), checkpoints, dbs.checkpointInTarget(), rejects, run);
        var limits = new TableCopy.Limits(new Throttle(options.maxRowsPerSecond(), ticker, sleeper), health,
                new RejectBudget(options.maxRejects()));
        var budget = new TableCopy.Budget(options.maxBatches());
        List<TableResult> results = new ArrayList<>();
        TableMapping previous = null;
        for (TableMapping table : mapping.tables()) {
            if (!results.isEmpty() && !results.get(results.size() - 1).complete()) {
                // stopped by --max-batches: the later tables wait for the next run (and the other shards need not)
                results.add(TableResult.notStarted(table.name()));
                continue;
            }
            if (shard.sharded() && previous != null) {
                String parent = previous.name();
                plans.awaitAll(parent, options.shardWait(), left -> progress.waiting(table.name(), "shard "
                        + shard.label() + " waits for shards " + left.stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + " to finish " + parent));
            }
            TableSchema schema = preflight.schemas().get(table.name());
            List<Wire> wires = Wire.of(table, schema);
            Shard.Range range = Shard.Range.ALL;
            if (shard.sharded()) {
                String ordered = "src." + Sql.ident(table.sourceKey());
                range = shard.range(plans.bounds(table.name(),
                        () -> KeyQuantiles.of(dbs.source(), table.source(), ordered, shard.count())));
            }
            var reader = new PageReader(dbs.source(), table, schema.sourceKeyType(), wires, options.batchSize(), range);
            var copy = new TableCopy(table, reader, new UpsertWriter(table, schema, wires), sinks, limits, progress,
                    ticker, options.writers());
            TableResult result = copy.run(saved.getOrDefault(table.name(), Checkpoints.Checkpoint.START), budget,
                    options.batchSize());
            results.add(result);
            boolean last = table == mapping.tables().get(mapping.tables().size() - 1);
            if (result.complete() && shard.sharded() && !last) {
                plans.markDone(table.name());
            }
            previous = table;
        }
        boolean complete = results.stream().allMatch(TableResult::complete);
        boolean everyShardDone = complete && !shard.sharded();
        if (complete) {
            // in this order: a shard killed between two of these steps, run again, finds what it needs
            checkpoints.clear();
            if (shard.sharded()) {
                String lastTable = mapping.tables().get(mapping.tables().size() - 1).name();
                plans.markDone(lastTable);
                everyShardDone = plans.finishIfLast(lastTable);
            }
        }
        return new BackfillSummary(List.copyOf(results), ticker.nanos() - started, shard, everyShardDone);
    }
}
