package io.cutover.progression;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of the shared progression row {@code cutover_progression} (id 1) and of its audit
 * {@code cutover_progression_events}. A change is a compare-and-set on the version, so that of two
 * replicas promoting at once exactly one wins; the other reads the row and follows it. Every change
 * {@code NOTIFY cutover_progression}.
 */
final class ProgressionStore {

    static final String CHANNEL = "cutover_progression";

    private static final String COLUMNS =
            "phase, weight, step_since, clean_since, changed_at, hold, overdue, changed_by, reason, version";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM cutover_progression WHERE id = 1";
    private static final String EVENT = """
              e AS (INSERT INTO cutover_progression_events (at, event, phase, weight, changed_by, reason)
                    SELECT changed_at, $12, phase, weight, changed_by, reason FROM w WHERE $13)
            SELECT w.*, pg_notify('cutover_progression', w.version::text) FROM w""";
    private static final String UPDATE = "WITH w AS (UPDATE cutover_progression SET phase = $1, weight = $2, step_since = $3,"
            + " clean_since = $4, changed_at = $5, hold = $6, overdue = $7, changed_by = $8, reason = $9, version = $10"
            + " WHERE id = 1 AND version = $11 RETURNING " + COLUMNS + "),\n" + EVENT;
    private static final String INSERT = "WITH w AS (INSERT INTO cutover_progression (id, " + COLUMNS + ")"
            + " SELECT 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE $11::bigint IS NULL"
            + " ON CONFLICT (id) DO NOTHING RETURNING " + COLUMNS + "),\n" + EVENT;
    private static final String EVENTS = "SELECT at, event, phase, weight, changed_by, reason FROM cutover_progression_events"
            + " ORDER BY id DESC LIMIT $1";

    /** One audited change. */
    record Event(Instant at, String event, String phase, double weight, String by, String reason) {
    }

    private final Pool pool;

    ProgressionStore(Pool pool) {
        this.pool = pool;
    }

    /** The shared row, or {@code null} when no progression was ever started. */
    Future<ProgressionState> read() {
        return pool.query(SELECT).execute().map(ProgressionStore::first);
    }

    /**
     * Writes {@code next} if the row is still {@code before} ({@code null}: no row yet).
     *
     * @param audited whether the change goes to the events (not the holds)
     * @return the row written, or {@code null} when another replica changed it first
     */
    Future<ProgressionState> write(ProgressionState before, ProgressionState next, Transitions.Event event, boolean audited) {
        Tuple args = Tuple.tuple().addString(next.phase().tag()).addDouble(next.weight()).addOffsetDateTime(at(next.stepSince()))
                .addOffsetDateTime(at(next.cleanSince())).addOffsetDateTime(at(next.changedAt())).addString(next.hold())
                .addBoolean(next.overdue()).addString(next.by()).addString(next.reason()).addLong(next.version())
                .addLong(before == null ? null : before.version())
                .addString(event.name().toLowerCase(Locale.ROOT).replace('_', '-')).addBoolean(audited);
        return pool.preparedQuery(before == null ? INSERT : UPDATE).execute(args).map(ProgressionStore::first);
    }

    /** The last audited changes, newest first. */
    Future<List<Event>> events(int limit) {
        return pool.preparedQuery(EVENTS).execute(Tuple.of(limit)).map(rows -> {
            List<Event> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new Event(r.getOffsetDateTime("at").toInstant(), r.getString("event"), r.getString("phase"),
                        r.getDouble("weight"), r.getString("changed_by"), r.getString("reason")));
            }
            return list;
        });
    }

    private static OffsetDateTime at(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static ProgressionState first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row r = it.next();
        return new ProgressionState(ProgressionState.Phase.parse(r.getString("phase")), r.getDouble("weight"),
                r.getOffsetDateTime("step_since").toInstant(), r.getOffsetDateTime("clean_since").toInstant(),
                r.getOffsetDateTime("changed_at").toInstant(), r.getString("hold"), r.getBoolean("overdue"),
                r.getString("changed_by"), r.getString("reason"), r.getLong("version"));
    }
}
