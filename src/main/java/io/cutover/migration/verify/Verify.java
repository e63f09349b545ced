package io.cutover.migration.verify;

import io.cutover.clock.Ticker;
import io.cutover.migration.Databases;
import io.cutover.migration.Mapping;
import io.cutover.migration.Preflight;
import io.cutover.migration.PreflightReport;
import io.cutover.migration.Rejects;
import io.cutover.migration.Sleeper;
import io.cutover.migration.shard.KeyQuantiles;
import io.cutover.migration.shard.Shard;
import io.cutover.migration.shard.ShardPlans;
import io.cutover.migration.Sql;
import io.cutover.migration.TableMapping;
import io.cutover.migration.TableSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The verify job: preflight, then each mapped table compared down to the rows that differ. Reads only. */
public final class Verify {

    private final Databases dbs;
    private final VerifyOptions options;
    private final Clock clock;
    private final Ticker ticker;

    public Verify(Databases dbs, VerifyOptions options, Clock clock, Ticker ticker) {
        this.dbs = dbs;
        this.options = options;
        this.clock = clock;
        this.ticker = ticker;
    }

    /** The job name verify's shard plans are kept under. */
    static final String JOB = "verify";

    /** The column by which verify --tenant keeps only that tenant's V2 rows (the default mapping's). */
    public static final String TENANT_COLUMN = "tenant_id";

    public VerifyReport run(Mapping mapping) {
        return run(mapping, null);
    }

    /**
     * @param tenant compare only the V2 rows of this tenant ({@value #TENANT_COLUMN} of the tables that map one;
     *               V1, single-tenant, is compared whole); {@code null} for every V2 row
     */
    public VerifyReport run(Mapping mapping, String tenant) {
        return run(mapping, tenant, Shard.WHOLE, Sleeper.THREAD);
    }

    /**
     * @param shard the part of every table to compare: its range of the plan in the checkpoint database (computed
     *              from V1's keys by the first verify shard, deleted by the last); {@link Shard#WHOLE} for all
     */
    public VerifyReport run(Mapping mapping, String tenant, Shard shard, Sleeper sleeper) {
        long started = ticker.nanos();
        PreflightReport preflight = Preflight.run(mapping, dbs.source(), dbs.target()).orThrow();
        Map<String, Map<String, Rejects.Reject>> rejects = new Rejects(dbs.checkpoint(), mapping.name()).all();
        var plans = new ShardPlans(dbs.checkpoint(), JOB, mapping.name(), shard, ticker, sleeper);
        if (shard.sharded()) {
            plans.ensureTables();
        }
        String cutoff = options.excludeRecent().isZero() ? null : clock.instant().minus(options.excludeRecent()).toString();
        List<TableReport> tables = new ArrayList<>();
        for (TableMapping table : mapping.tables()) {
            TableSchema schema = preflight.schemas().get(table.name());
            String keyType = schema.targetType(table.key());
            Side v1 = Side.source(dbs.source(), table, keyType, cutoff);
            String scope = tenant == null || table.column(TENANT_COLUMN) == null ? null
                    : "tgt." + Sql.ident(TENANT_COLUMN) + " = " + Sql.literal(tenant);
            Side v2 = Side.target(dbs.target(), table, keyType, cutoff, scope);
            Shard.Range range = shard.range(shard.sharded() ? plans.bounds(table.name(),
                    () -> KeyQuantiles.of(dbs.source(), table.source(), v1.ordered(), shard.count())) : List.of());
            TableReport report = range.empty() ? new TableReport(table.name(), 0, 0, List.of(), false)
                    : new TableVerifier(table.name(), v1, v2, options).run(new KeyRange(range.lower(), range.upper()));
            tables.add(knownRejects(report, rejects.getOrDefault(table.name(), Map.of())));
            if (shard.sharded()) {
                plans.markDone(table.name());
            }
        }
        if (shard.sharded()) {
            plans.finishIfLast(mapping.tables().get(mapping.tables().size() - 1).name());
        }
        return new VerifyReport(List.copyOf(tables), ticker.nanos() - started);
    }

    /** The differing rows the backfill set aside are reported as rejected, with V2's error, not as missing. */
    private static TableReport knownRejects(TableReport report, Map<String, Rejects.Reject> rejected) {
        if (rejected.isEmpty()) {
            return report;
        }
        List<Difference> differences = report.differences().stream().map(d -> {
            Rejects.Reject r = rejected.get(d.key());
            return r != null && d.kind() != Difference.Kind.EXTRA ? d.rejected(r.error()) : d;
        }).toList();
        return new TableReport(report.table(), report.v1Rows(), report.v2Rows(), differences, report.truncated());
    }
}
