package io.cutover.dualwrite;

import io.cutover.routing.Backend;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox table ({@code db/migration/V2__outbox.sql}) through the Vert.x PG client. Multi-row
 * statements take arrays ({@code unnest}), so one round trip carries a whole batch. Times come
 * from the caller (the injected clock), never from the database's {@code now()}.
 */
final class OutboxStore {

    static final String STATE_UNCONFIRMED = "unconfirmed";
    static final String STATE_PENDING = "pending";
    static final String STATE_CANCELLED = "cancelled";

    private static final String INSERT = """
            INSERT INTO cutover_outbox (id, state, target, method, uri, headers, body, tenant, idempotency_key,
                                        entity_key, next_attempt_at, created_at, updated_at)
            SELECT u.id, u.state, u.target, u.method, u.uri, u.headers::jsonb, u.body, u.tenant, u.ikey, u.entity, $11, $11, $11
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::text[],
                        $9::text[], $10::text[]) WITH ORDINALITY
                 AS u(id, state, target, method, uri, headers, body, tenant, ikey, entity, ord)
            ORDER BY u.ord
            """;

    private static final String SETTLE = """
            UPDATE cutover_outbox o
               SET state = u.state, target = u.target, body = u.body, entity_key = u.entity, updated_at = $6
              FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::text[]) AS u(id, state, target, body, entity)
             WHERE o.id = u.id AND o.state = 'unconfirmed'
            """;

    private static final String CLAIM = """
            UPDATE cutover_outbox SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1
             WHERE id IN (
                SELECT o.id FROM cutover_outbox o
                 WHERE o.state = 'pending' AND o.next_attempt_at <= $3
                   AND (o.claimed_until IS NULL OR o.claimed_until < $3)
                   AND NOT EXISTS (SELECT 1 FROM cutover_outbox p
                                    WHERE p.entity_key = o.entity_key AND p.seq < o.seq
                                      AND p.state IN ('unconfirmed', 'pending'))
                 ORDER BY o.seq
                 LIMIT $4
                 FOR UPDATE SKIP LOCKED)
            RETURNING id, seq, target, method, uri, headers::text AS headers, body, tenant, idempotency_key, entity_key, attempts
            """;

    private final Pool pool;

    OutboxStore(Pool pool) {
        this.pool = pool;
    }

    static OffsetDateTime at(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    Future<Void> insert(List<WriteIntent> intents, String state, Instant now) {
        int n = intents.size();
        UUID[] ids = new UUID[n];
        String[] states = new String[n];
        String[] targets = new String[n];
        String[] methods = new String[n];
        String[] uris = new String[n];
        String[] headers = new String[n];
        Buffer[] bodies = new Buffer[n];
        String[] tenants = new String[n];
        String[] keys = new String[n];
        String[] entities = new String[n];
        for (int i = 0; i < n; i++) {
            WriteIntent w = intents.get(i);
            ids[i] = w.id();
            states[i] = state;
            targets[i] = w.target().id();
            methods[i] = w.method();
            uris[i] = w.uri();
            headers[i] = w.headersJson();
            bodies[i] = w.body();
            tenants[i] = w.tenant();
            keys[i] = w.idempotencyKey();
            entities[i] = w.entityKey();
        }
        Tuple t = Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(states).addArrayOfString(targets)
                .addArrayOfString(methods).addArrayOfString(uris).addArrayOfString(headers).addValue(bodies)
                .addArrayOfString(tenants).addArrayOfString(keys).addArrayOfString(entities).addValue(at(now));
        return pool.preparedQuery(INSERT).execute(t).mapEmpty();
    }

    /** Confirms (state pending) or cancels unconfirmed intents; already-settled rows are left alone. */
    Future<Void> settle(List<Settlement> settlements, Instant now) {
        int n = settlements.size();
        UUID[] ids = new UUID[n];
        String[] states = new String[n];
        String[] targets = new String[n];
        Buffer[] bodies = new Buffer[n];
        String[] entities = new String[n];
        for (int i = 0; i < n; i++) {
            Settlement s = settlements.get(i);
            ids[i] = s.intent().id();
            states[i] = s.state();
            targets[i] = s.intent().target().id();
            bodies[i] = s.intent().body();
            entities[i] = s.intent().entityKey();
        }
        Tuple t = Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(states).addArrayOfString(targets)
                .addValue(bodies).addArrayOfString(entities).addValue(at(now));
        return pool.preparedQuery(SETTLE).execute(t).mapEmpty();
    }

    /** What the primary's answer made of an intent: pending (send it) or cancelled (never send it). */
    record Settlement(WriteIntent intent, String state) {
    }

    Future<List<OutboxRow>> claim(String worker, Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(worker, at(leaseUntil), at(now), limit)).map(rows -> {
            List<OutboxRow> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new OutboxRow(r.getUUID("id"), r.getLong("seq"), Backend.parse(r.getString("target")),
                        r.getString("method"), r.getString("uri"), r.getString("headers"), r.getBuffer("body"),
                        r.getString("tenant"), r.getString("idempotency_key"), r.getString("entity_key"),
                        r.getInteger("attempts")));
            }
            out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            return out;
        });
    }

    /** Marks a batch of sent rows done in one statement. */
    Future<Void> doneAll(List<UUID> ids, String worker, Instant now) {
        if (ids.isEmpty()) {
            return Future.succeededFuture();
        }
        return pool.preparedQuery("UPDATE cutover_outbox SET state = 'done', claimed_by = NULL, claimed_until = NULL,"
                        + " last_error = NULL, updated_at = $3 WHERE id = ANY($1) AND claimed_by = $2")
                .execute(Tuple.of(ids.toArray(UUID[]::new), worker, at(now))).mapEmpty();
    }

    Future<Void> retry(UUID id, String worker, Instant now, Instant next, String error) {
        return pool.preparedQuery("UPDATE cutover_outbox SET next_attempt_at = $3, last_error = $4, claimed_by = NULL,"
                        + " claimed_until = NULL, updated_at = $5 WHERE id = $1 AND claimed_by = $2")
                .execute(Tuple.of(id, worker, at(next), error, at(now))).mapEmpty();
    }

    /** Refused by its target: kept, failed, for an operator. */
    Future<Void> fail(UUID id, String worker, Instant now, String error) {
        return close(id, worker, now, "failed", error);
    }

    /** Never to be sent: the primary refused the write. */
    Future<Void> cancel(UUID id, String worker, Instant now, String reason) {
        return close(id, worker, now, STATE_CANCELLED, reason);
    }

    private Future<Void> close(UUID id, String worker, Instant now, String state, String reason) {
        return pool.preparedQuery("UPDATE cutover_outbox SET state = $5, last_error = $3, claimed_by = NULL,"
                        + " claimed_until = NULL, updated_at = $4 WHERE id = $1 AND claimed_by = $2")
                .execute(Tuple.of(id, worker, reason, at(now), state)).mapEmpty();
    }

    /** Whether the entity has rows still to send (unconfirmed or pending) towards {@code target}. */
    Future<Boolean> hasOpen(String entityKey, Backend target) {
        return pool.preparedQuery("SELECT EXISTS (SELECT 1 FROM cutover_outbox WHERE entity_key = $1 AND target = $2"
                        + " AND state IN ('unconfirmed', 'pending'))")
                .execute(Tuple.of(entityKey, target.id())).map(rs -> rs.iterator().next().getBoolean(0));
    }

    /** Intents whose primary answer was never recorded (their router died): send them. */
    Future<Integer> promoteUnconfirmed(Instant olderThan, Instant now) {
        return pool.preparedQuery("UPDATE cutover_outbox SET state = 'pending', updated_at = $2"
                        + " WHERE state = 'unconfirmed' AND created_at < $1")
                .execute(Tuple.of(at(olderThan), at(now))).map(rs -> rs.rowCount());
    }

    Future<Integer> purgeFinished(Instant olderThan) {
        return pool.preparedQuery("DELETE FROM cutover_outbox WHERE state IN ('done', 'cancelled') AND updated_at < $1")
                .execute(Tuple.of(at(olderThan))).map(rs -> rs.rowCount());
    }

    /** Per target: rows still to send, and the creation time of the oldest. */
    Future<Map<Backend, Backlog>> backlog() {
        return pool.query("SELECT target, count(*) AS n, min(created_at) AS oldest, count(*) FILTER (WHERE state = 'failed') AS failed"
                        + " FROM cutover_outbox WHERE state IN ('unconfirmed', 'pending', 'failed') GROUP BY target")
                .execute().map(rows -> {
                    Map<Backend, Backlog> m = new EnumMap<>(Backend.class);
                    for (Row r : rows) {
                        Backend b = Backend.parse(r.getString("target"));
                        OffsetDateTime oldest = r.getOffsetDateTime("oldest");
                        long failed = r.getLong("failed");
                        m.put(b, new Backlog(r.getLong("n") - failed, oldest == null ? null : oldest.toInstant(), failed));
                    }
                    return m;
                });
    }

    /** Rows still to send (pending or unconfirmed), the oldest's creation time, and failed rows. */
    record Backlog(long open, Instant oldest, long failed) {
        static final Backlog EMPTY = new Backlog(0, null, 0);
    }
}
