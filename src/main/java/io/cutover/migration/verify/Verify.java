package io.cutover.migration.verify;

import io.cutover.clock.Ticker;
import io.cutover.migration.Databases;
import io.cutover.migration.Mapping;
import io.cutover.migration.Preflight;
import io.cutover.migration.PreflightReport;
import io.cutover.migration.Sql;
import io.cutover.migration.TableMapping;
import io.cutover.migration.TableSchema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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
        long started = ticker.nanos();
        PreflightReport preflight = Preflight.run(mapping, dbs.source(), dbs.target()).orThrow();
        String cutoff = options.excludeRecent().isZero() ? null : clock.instant().minus(options.excludeRecent()).toString();
        List<TableReport> tables = new ArrayList<>();
        for (TableMapping table : mapping.tables()) {
            TableSchema schema = preflight.schemas().get(table.name());
            String keyType = schema.targetType(table.key());
            Side v1 = Side.source(dbs.source(), table, keyType, cutoff);
            String scope = tenant == null || table.column(TENANT_COLUMN) == null ? null
                    : "tgt." + Sql.ident(TENANT_COLUMN) + " = " + Sql.literal(tenant);
            Side v2 = Side.target(dbs.target(), table, keyType, cutoff, scope);
            tables.add(new TableVerifier(table.name(), v1, v2, options).run());
        }
        return new VerifyReport(List.copyOf(tables), ticker.nanos() - started);
    }
}
