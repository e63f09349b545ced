package io.cutover.migration.backfill;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.Databases;
import io.cutover.migration.Mapping;
import io.cutover.migration.Preflight;
import io.cutover.migration.PreflightReport;
import io.cutover.migration.TableMapping;
import io.cutover.migration.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The backfill job: preflight (nothing is written if it fails), checkpoints, the mapping's setup
 * statements, then each table in the mapping's (dependency) order, resuming from its checkpoint.
 */
public final class Backfill {

    private final Databases dbs;
    private final BackfillOptions options;
    private final Progress progress;
    private final Ticker ticker;
    private final Throttle.Sleeper sleeper;

    public Backfill(Databases dbs, BackfillOptions options, Progress progress, Ticker ticker) {
        this(dbs, options, progress, ticker, Throttle.THREAD_SLEEP);
    }

    Backfill(Databases dbs, BackfillOptions options, Progress progress, Ticker ticker, Throttle.Sleeper sleeper) {
        this.dbs = dbs;
        this.options = options;
        this.progress = progress;
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    public BackfillSummary run(Mapping mapping) {
        long started = ticker.nanos();
        PreflightReport preflight = Preflight.run(mapping, dbs.source(), dbs.target()).orThrow();
        var checkpoints = new Checkpoints(dbs.checkpoint(), mapping.name());
        checkpoints.ensureTable();
        if (options.restart()) {
            checkpoints.clear();
        }
        Map<String, Checkpoints.Checkpoint> saved = checkpoints.load();
        for (String statement : mapping.setup()) {
            Await.result(dbs.target().query(statement).execute());
        }
        var throttle = new Throttle(options.maxRowsPerSecond(), ticker, sleeper);
        var budget = new TableCopy.Budget(options.maxBatches());
        List<TableResult> results = new ArrayList<>();
        for (TableMapping table : mapping.tables()) {
            TableSchema schema = preflight.schemas().get(table.name());
            List<Wire> wires = Wire.of(table, schema);
            var reader = new PageReader(dbs.source(), table, schema.sourceKeyType(), wires, options.batchSize());
            var copy = new TableCopy(table, reader, new UpsertWriter(table, schema, wires), dbs.target(), checkpoints,
                    dbs.checkpointInTarget(), throttle, progress, ticker, options.writers());
            results.add(copy.run(saved.getOrDefault(table.name(), Checkpoints.Checkpoint.START), budget,
                    options.batchSize()));
        }
        var summary = new BackfillSummary(List.copyOf(results), ticker.nanos() - started);
        if (summary.complete()) {
            checkpoints.clear();
        }
        return summary;
    }
}
