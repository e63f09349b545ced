package io.cutover.tenantstate;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of the tenants' states ({@code cutover_tenant_state}, {@code cutover_tenant_transitions}) and of their
 * last verify runs ({@code cutover_migration_runs}). A move is one transaction that locks the tenant, reads its
 * state and last verify, checks the {@link Gate} and writes the state and the transition together; the tables'
 * triggers {@code NOTIFY cutover_tenants}.
 */
final class TenantStateStore {

    static final String CHANNEL = "cutover_tenants";

    private static final String DIFFERENCES = "CASE WHEN jsonb_typeof(summary->'differences') = 'number'"
            + " THEN (summary->>'differences')::numeric::bigint ELSE 0 END";
    private static final String VERIFY_COLUMNS = "id, tenant, finished_at, exit_code = 0 AS equal, " + DIFFERENCES + " AS differences";
    /** Completed verify runs only: exit 2 (failed) compared nothing. */
    private static final String VERIFY_RUNS = " FROM cutover_migration_runs WHERE job = 'verify' AND exit_code IN (0, 1)";
    private static final String STATES = "SELECT tenant, state, since, changed_by, reason, forced FROM cutover_tenant_state";
    private static final String LAST_VERIFIES = "SELECT DISTINCT ON (tenant) " + VERIFY_COLUMNS + VERIFY_RUNS
            + " ORDER BY tenant, finished_at DESC, id DESC";
    private static final String LAST_VERIFY_OF = "SELECT " + VERIFY_COLUMNS + VERIFY_RUNS
            + " AND (tenant = $1 OR tenant IS NULL) ORDER BY (tenant IS NULL), finished_at DESC, id DESC LIMIT 1";
    private static final String LOCK = "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('cutover_tenant:' || $1))) l";
    private static final String STATE_OF = STATES + " WHERE tenant = $1";
    private static final String WRITE = """
            WITH h AS (
              INSERT INTO cutover_tenant_transitions (tenant, from_state, to_state, changed_by, reason, at, forced, verify_run)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8))
            INSERT INTO cutover_tenant_state (tenant, state, since, changed_by, reason, forced)
            VALUES ($1, $3, $6, $4, $5, $7)
            ON CONFLICT (tenant) DO UPDATE SET state = EXCLUDED.state, since = EXCLUDED.since,
              changed_by = EXCLUDED.changed_by, reason = EXCLUDED.reason, forced = EXCLUDED.forced""";
    private static final String HISTORY = "SELECT from_state, to_state, changed_by, reason, at, forced, verify_run"
            + " FROM cutover_tenant_transitions WHERE tenant = $1 ORDER BY id DESC LIMIT $2";

    /** The result of a move: the gate's verdict, the state before and after, the verify run it looked at. */
    record Moved(Gate.Verdict verdict, MigrationState before, TenantState after, LastVerify lastVerify) {
    }

    private final Pool pool;

    TenantStateStore(Pool pool) {
        this.pool = pool;
    }

    /** Every recorded state and the last verify runs, for a replica's {@link TenantSnapshot}. */
    Future<TenantSnapshot> load() {
        return pool.query(STATES).execute().compose(states -> pool.query(LAST_VERIFIES).execute().map(verifies -> {
            Map<String, TenantState> byTenant = new HashMap<>();
            states.forEach(r -> byTenant.put(r.getString("tenant"), state(r)));
            Map<String, LastVerify> own = new HashMap<>();
            LastVerify global = null;
            for (Row r : verifies) {
                LastVerify v = verify(r);
                if (v.tenant() == null) {
                    global = v;
                } else {
                    own.put(v.tenant(), v);
                }
            }
            return new TenantSnapshot(byTenant, own, global);
        }));
    }

    Future<Moved> move(String tenant, MigrationState target, String reason, String by, boolean force, Instant at) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(tenant))
                .compose(locked -> conn.preparedQuery(STATE_OF).execute(Tuple.of(tenant)))
                .compose(states -> {
                    TenantState current = states.size() == 0 ? null : state(states.iterator().next());
                    return conn.preparedQuery(LAST_VERIFY_OF).execute(Tuple.of(tenant))
                            .compose(verifies -> decide(conn, tenant, current, target, reason, by, force, at, first(verifies)));
                }));
    }

    private Future<Moved> decide(SqlConnection conn, String tenant, TenantState current, MigrationState target, String reason,
                                 String by, boolean force, Instant at, LastVerify last) {
        MigrationState before = current == null ? null : current.state();
        Gate.Verdict verdict = Gate.check(tenant, before, target, last, force);
        if (!verdict.moves()) {
            return Future.succeededFuture(new Moved(verdict, before, current, last));
        }
        boolean forced = verdict.kind() == Gate.Kind.FORCED;
        TenantState after = new TenantState(tenant, target, at, by, reason, forced);
        Tuple args = Tuple.tuple().addString(tenant).addString(before == null ? null : before.id()).addString(target.id())
                .addString(by).addString(reason).addOffsetDateTime(at.atOffset(ZoneOffset.UTC)).addBoolean(forced)
                .addLong(last == null ? null : last.run());
        return conn.preparedQuery(WRITE).execute(args).map(rows -> new Moved(verdict, before, after, last));
    }

    /**
     * Moves the tenant from {@code from} (or no recorded state, which is {@code dual-write}) to {@code to}, and
     * does nothing when it is elsewhere already: a job's own step, never a move back.
     */
    Future<Boolean> advance(String tenant, MigrationState from, MigrationState to, String reason, String by, Instant at) {
        return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(tenant))
                .compose(locked -> conn.preparedQuery(STATE_OF).execute(Tuple.of(tenant)))
                .compose(states -> {
                    TenantState current = states.size() == 0 ? null : state(states.iterator().next());
                    MigrationState now = current == null ? MigrationState.DUAL_WRITE : current.state();
                    if (now != from) {
                        return Future.succeededFuture(false);
                    }
                    Tuple args = Tuple.tuple().addString(tenant).addString(current == null ? null : now.id())
                            .addString(to.id()).addString(by).addString(reason)
                            .addOffsetDateTime(at.atOffset(ZoneOffset.UTC)).addBoolean(false).addLong(null);
                    return conn.preparedQuery(WRITE).execute(args).map(rows -> true);
                }));
    }

    /** The tenant's moves, newest first. */
    Future<List<Transition>> history(String tenant, int limit) {
        return pool.preparedQuery(HISTORY).execute(Tuple.of(tenant, limit)).map(rows -> {
            List<Transition> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Transition(r.getString("from_state"), r.getString("to_state"), r.getString("changed_by"),
                        r.getString("reason"), r.getOffsetDateTime("at").toInstant(), r.getBoolean("forced"),
                        r.getLong("verify_run")));
            }
            return list;
        });
    }

    private static TenantState state(Row r) {
        return new TenantState(r.getString("tenant"), MigrationState.parse(r.getString("state")),
                r.getOffsetDateTime("since").toInstant(), r.getString("changed_by"), r.getString("reason"), r.getBoolean("forced"));
    }

    private static LastVerify verify(Row r) {
        return new LastVerify(r.getLong("id"), r.getString("tenant"), r.getOffsetDateTime("finished_at").toInstant(),
                r.getBoolean("equal"), r.getLong("differences"));
    }

    private static LastVerify first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : verify(rows.iterator().next());
    }
}
