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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                                        entity_key, ordered, next_attempt_at, created_at, updated_at)
            SELECT u.id, u.state, u.target, u.method, u.uri, u.headers::jsonb, u.body, u.tenant, u.ikey, u.entity, u.ordered,
                   $11, $11, $11
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::text[],
                        $9::text[], $10::text[], $12::boolean[]) WITH ORDINALITY
                 AS u(id, state, target, method, uri, headers, body, tenant, ikey, entity, ordered, ord)
            ORDER BY u.ord
            """;

    /**
     * Settles intents by their primary's answers, given in the order the answers came. An ordered write accepted by
     * its primary takes its place in its entity's order now ({@code seq} from the sequence, in that order): writes of
     * one record that were in flight together reach the secondary in the order the primary answered them (it applied
     * them in that order, as near as the router can see), not the order the router recorded them in. A write that no
     * other overlapped keeps its order either way: its answer comes before the next one is recorded.
     */
    private static final String SETTLE = """
            UPDATE cutover_outbox o
               SET state = u.state, target = u.target, body = u.body, entity_key = u.entity, updated_at = $6,
                   seq = CASE WHEN o.ordered AND u.state = 'pending' THEN u.seq ELSE o.seq END
              FROM (SELECT a.*, nextval(pg_get_serial_sequence('cutover_outbox', 'seq')) AS seq
                      FROM (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::text[]) WITH ORDINALITY
                                AS x(id, state, target, body, entity, ord)
                             ORDER BY x.ord) a) u
             WHERE o.id = u.id AND o.state = 'unconfirmed'
            """;

    /** Independent rows that are due, oldest due first; the claim's lease is their next_attempt_at. */
    static final String CLAIM_FREE = """
            UPDATE cutover_outbox SET claimed_by = $1, next_attempt_at = $2
             WHERE id IN (
                SELECT o.id FROM cutover_outbox o
                 WHERE NOT o.ordered AND o.state = 'pending' AND o.next_attempt_at <= $3
                 ORDER BY o.next_attempt_at
                 LIMIT $4
                 FOR UPDATE SKIP LOCKED)
            RETURNING id, seq, state, target, method, uri, headers::text AS headers, body, tenant, idempotency_key, entity_key,
                      attempts, key_round, via_primary
            """;

    /** Entities whose queue is due, the longest waiting first; the claim's lease is the queue's due_at. */
    static final String CLAIM_QUEUES = """
            UPDATE cutover_outbox_queue SET claimed_by = $1, due_at = $2
             WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM cutover_outbox_queue
                 WHERE due_at <= $3
                 ORDER BY due_at
                 LIMIT $4
                 FOR UPDATE SKIP LOCKED))
            RETURNING target, entity_key, version
            """;

    /** The first rows still to send of each claimed entity, in order: each entity's run. */
    static final String RUNS = """
            SELECT r.id, r.seq, r.state, r.target, r.method, r.uri, r.headers::text AS headers, r.body, r.tenant,
                   r.idempotency_key, r.entity_key, r.attempts, r.key_round, r.via_primary
              FROM unnest($1::text[], $2::text[]) AS k(target, entity_key)
              CROSS JOIN LATERAL (
                    SELECT o.* FROM cutover_outbox o
                     WHERE o.target = k.target AND o.entity_key = k.entity_key AND o.ordered
                       AND o.state IN ('unconfirmed', 'pending')
                     ORDER BY o.seq
                     LIMIT $3) r
            """;

    /**
     * Intents held in memory while the database was away, each stored once: a row already there (its insert
     * timed out on the write path and took effect later) gets the held settlement if it is still unconfirmed.
     */
    private static final String STORE_OR_SETTLE = INSERT + """
            ON CONFLICT (id) DO UPDATE
               SET state = EXCLUDED.state, target = EXCLUDED.target, body = EXCLUDED.body, entity_key = EXCLUDED.entity_key,
                   updated_at = EXCLUDED.updated_at
             WHERE cutover_outbox.state = 'unconfirmed'
            """;

    /**
     * The write path's outbox-order check for many writes at once: of the (entity, target) pairs asked, those whose
     * entity has ordered rows still to send towards that target. One probe of {@code cutover_outbox_entity_open} per pair, in
     * its order (as an {@code EXISTS}, or without the {@code ORDER BY}, PostgreSQL reads the whole outbox instead).
     */
    static final String OPEN_OF = """
            SELECT k.entity_key, k.target FROM unnest($1::text[], $2::text[]) AS k(entity_key, target)
             CROSS JOIN LATERAL (
                    SELECT 1 FROM cutover_outbox o
                     WHERE o.target = k.target AND o.entity_key = k.entity_key
                       AND o.ordered AND o.state IN ('unconfirmed', 'pending')
                     ORDER BY o.seq
                     LIMIT 1) hit
            """;

    /**
     * The independent rows (readings) of an entity recorded before its record's delete ({@code seq} below it) and not
     * sent yet towards that target: cancelled, for the deletes ({@code $1}, their ids) of one round in one statement.
     * Each state is read through its own partial index by creation time, up to the delete's (plus a margin for the
     * clocks of other replicas): the worker sends the oldest rows first, so few rows are older than a delete it sends.
     */
    static final String SUPERSEDE_INDEPENDENT = """
            WITH d AS (SELECT id, target, entity_key, seq, created_at + interval '10 seconds' AS until, method || ' ' || uri AS what
                         FROM cutover_outbox WHERE id = ANY($1)),
                 hit AS (SELECT r.id, d.what FROM d CROSS JOIN LATERAL (
                            SELECT o.id FROM cutover_outbox o
                             WHERE o.state = 'pending' AND o.target = d.target AND o.created_at <= d.until
                               AND NOT o.ordered AND o.entity_key = d.entity_key AND o.seq < d.seq
                            UNION ALL
                            SELECT o.id FROM cutover_outbox o
                             WHERE o.state = 'unconfirmed' AND o.created_at <= d.until
                               AND NOT o.ordered AND o.target = d.target AND o.entity_key = d.entity_key AND o.seq < d.seq) r)
            UPDATE cutover_outbox o SET state = 'cancelled', claimed_by = NULL, updated_at = $2,
                   last_error = 'not sent: its record was deleted after it (' || hit.what || ' sent to ' || o.target || ')'
              FROM hit
             WHERE o.id = hit.id AND o.state IN ('pending', 'unconfirmed')
            """;

    /**
     * What a write that never reached {@code primary} ($3 is its other side, where the write would fall back to) must
     * know first: whether another write under its key is in doubt at the primary (recorded towards the other side,
     * never settled), and whether copies of its entity's earlier writes ($4; $5: the write is ordered) still wait
     * towards the other side: applied there now, the write would be overwritten when they arrive. Its own intent
     * ($2) is not counted. The second is a probe of {@code cutover_outbox_entity_open} in its order (as an {@code EXISTS},
     * PostgreSQL may read the outbox instead when most rows are the entity's).
     */
    static final String FALLBACK_CHECK = """
            SELECT EXISTS (SELECT 1 FROM cutover_outbox WHERE idempotency_key = $1 AND id <> $2 AND target = $3
                              AND (state = 'unconfirmed' OR (state = 'pending' AND via_primary))) AS in_doubt,
                   $5 AND (SELECT true FROM cutover_outbox WHERE target = $3 AND entity_key = $4 AND id <> $2
                              AND ordered AND state IN ('unconfirmed', 'pending') ORDER BY seq LIMIT 1) IS NOT NULL AS behind
            """;

    /** Gives claimed queues back: due again at the given times, with the blocking head's error (or none). */
    private static final String RELEASE = """
            WITH mine AS (
                SELECT q.target, q.entity_key FROM cutover_outbox_queue q
                  JOIN unnest($1::text[], $2::text[]) AS u(target, entity_key) USING (target, entity_key)
                 WHERE q.claimed_by = $6
                 ORDER BY q.target, q.entity_key
                 FOR UPDATE OF q)
            UPDATE cutover_outbox_queue q
               SET due_at = u.due_at, claimed_by = NULL, last_error = u.error, attempts = u.attempts,
                   blocked_since = CASE WHEN u.error IS NULL THEN NULL ELSE COALESCE(q.blocked_since, $7) END
              FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::int[])
                   AS u(target, entity_key, due_at, error, attempts)
             WHERE q.target = u.target AND q.entity_key = u.entity_key
               AND (q.target, q.entity_key) IN (SELECT target, entity_key FROM mine)
            """;

    /** Deletes claimed queues that were found empty, unless rows arrived since (their version moved). */
    private static final String DELETE_EMPTY = """
            WITH gone AS (
                SELECT q.target, q.entity_key FROM cutover_outbox_queue q
                  JOIN unnest($1::text[], $2::text[], $3::bigint[]) AS u(target, entity_key, version) USING (target, entity_key)
                 WHERE q.claimed_by = $4 AND q.version = u.version
                 ORDER BY q.target, q.entity_key
                 FOR UPDATE OF q)
            DELETE FROM cutover_outbox_queue q USING gone g
             WHERE q.target = g.target AND q.entity_key = g.entity_key
            """;

    private final Pool pool;

    OutboxStore(Pool pool) {
        this.pool = pool;
    }

    static OffsetDateTime at(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    Future<Void> insert(List<WriteIntent> intents, String state, Instant now) {
        return pool.preparedQuery(INSERT).execute(rows(intents, i -> state, now)).mapEmpty();
    }

    /** See {@link #STORE_OR_SETTLE}: each settlement's intent stored in its state, or settled if already stored. */
    Future<Void> storeOrSettle(List<Settlement> held, Instant now) {
        List<WriteIntent> intents = held.stream().map(Settlement::intent).toList();
        return pool.preparedQuery(STORE_OR_SETTLE).execute(rows(intents, i -> held.get(i).state(), now)).mapEmpty();
    }

    private static Tuple rows(List<WriteIntent> intents, java.util.function.IntFunction<String> stateOf, Instant now) {
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
        Boolean[] ordered = new Boolean[n];
        for (int i = 0; i < n; i++) {
            WriteIntent w = intents.get(i);
            ordered[i] = w.ordered();
            ids[i] = w.id();
            states[i] = stateOf.apply(i);
            targets[i] = w.target().id();
            methods[i] = w.method();
            uris[i] = w.uri();
            headers[i] = w.headersJson();
            bodies[i] = w.body();
            tenants[i] = w.tenant();
            keys[i] = w.idempotencyKey();
            entities[i] = w.entityKey();
        }
        return Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(states).addArrayOfString(targets)
                .addArrayOfString(methods).addArrayOfString(uris).addArrayOfString(headers).addValue(bodies)
                .addArrayOfString(tenants).addArrayOfString(keys).addArrayOfString(entities).addValue(at(now))
                .addArrayOfBoolean(ordered);
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

    /** Claims due independent rows (each one is its own resource), leased until {@code leaseUntil}. */
    Future<List<OutboxRow>> claimFree(String worker, Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery(CLAIM_FREE).execute(Tuple.of(worker, at(leaseUntil), at(now), limit)).map(OutboxStore::rows);
    }

    /** A claimed entity queue: its target, key, and the version it had when claimed. */
    record Queue(Backend target, String entityKey, long version) {
    }

    /** Claims due entity queues, leased until {@code leaseUntil}: while a worker has one, no other sends its rows. */
    Future<List<Queue>> claimQueues(String worker, Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery(CLAIM_QUEUES).execute(Tuple.of(worker, at(leaseUntil), at(now), limit)).map(rows -> {
            List<Queue> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new Queue(Backend.parse(r.getString("target")), r.getString("entity_key"), r.getLong("version")));
            }
            return out;
        });
    }

    /** Up to {@code runSize} rows still to send of each queue's entity, in order (seq ascending). */
    Future<List<OutboxRow>> runs(List<Queue> queues, int runSize) {
        String[] targets = queues.stream().map(q -> q.target().id()).toArray(String[]::new);
        String[] keys = queues.stream().map(Queue::entityKey).toArray(String[]::new);
        return pool.preparedQuery(RUNS).execute(Tuple.of(targets, keys, runSize)).map(OutboxStore::rows);
    }

    /** What a worker tells of a queue it gives back: when it is due again and the head's error, if it blocks. */
    record Release(Queue queue, Instant dueAt, String error, int attempts) {
    }

    /** Deletes the claimed queues found empty (unless rows arrived since), then gives back the others. */
    Future<Void> release(List<Queue> empty, List<Release> releases, String worker, Instant now) {
        Future<Void> deleted = empty.isEmpty() ? Future.succeededFuture() : pool.preparedQuery(DELETE_EMPTY)
                .execute(Tuple.of(empty.stream().map(q -> q.target().id()).toArray(String[]::new),
                        empty.stream().map(Queue::entityKey).toArray(String[]::new),
                        empty.stream().map(Queue::version).toArray(Long[]::new), worker)).mapEmpty();
        if (releases.isEmpty()) {
            return deleted;
        }
        int n = releases.size();
        String[] targets = new String[n];
        String[] keys = new String[n];
        OffsetDateTime[] due = new OffsetDateTime[n];
        String[] errors = new String[n];
        Integer[] attempts = new Integer[n];
        for (int i = 0; i < n; i++) {
            Release r = releases.get(i);
            targets[i] = r.queue().target().id();
            keys[i] = r.queue().entityKey();
            due[i] = at(r.dueAt());
            errors[i] = r.error();
            attempts[i] = r.attempts();
        }
        Tuple t = Tuple.tuple().addArrayOfString(targets).addArrayOfString(keys).addArrayOfOffsetDateTime(due)
                .addArrayOfString(errors).addArrayOfInteger(attempts).addString(worker).addValue(at(now));
        return deleted.compose(v -> pool.preparedQuery(RELEASE).execute(t)).mapEmpty();
    }

    private static List<OutboxRow> rows(io.vertx.sqlclient.RowSet<Row> rows) {
        List<OutboxRow> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new OutboxRow(r.getUUID("id"), r.getLong("seq"), STATE_PENDING.equals(r.getString("state")),
                    Backend.parse(r.getString("target")), r.getString("method"), r.getString("uri"), r.getString("headers"),
                    r.getBuffer("body"), r.getString("tenant"), r.getString("idempotency_key"), r.getString("entity_key"),
                    r.getInteger("attempts"), r.getInteger("key_round"), r.getBoolean("via_primary")));
        }
        out.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return out;
    }

    /** Marks a batch of sent rows done in one statement. */
    Future<Void> doneAll(List<UUID> ids, Instant now) {
        if (ids.isEmpty()) {
            return Future.succeededFuture();
        }
        return pool.preparedQuery("UPDATE cutover_outbox SET state = 'done', claimed_by = NULL, claimed_until = NULL,"
                        + " last_error = NULL, attempts = attempts + 1, updated_at = $2 WHERE id = ANY($1) AND state = 'pending'")
                .execute(Tuple.of(ids.toArray(UUID[]::new), at(now))).mapEmpty();
    }

    /**
     * A failed attempt: due again at {@code next}, with its error (rows already done are left alone).
     *
     * @param reachedTarget false when the target's own open breaker refused the send: not an attempt, no backoff growth
     * @param freshKey      the target answered a 4xx that wrote nothing: the next try goes under the row's next key round
     */
    Future<Void> retry(UUID id, Instant now, Instant next, String error, boolean reachedTarget, boolean freshKey) {
        return pool.preparedQuery("UPDATE cutover_outbox SET next_attempt_at = $2, last_error = $3, claimed_by = NULL,"
                        + " attempts = attempts + $5, key_round = key_round + $6, updated_at = $4 WHERE id = $1 AND state = 'pending'")
                .execute(Tuple.of(id, at(next), error, at(now), reachedTarget ? 1 : 0, freshKey ? 1 : 0)).mapEmpty();
    }

    /** See {@link #SUPERSEDE_INDEPENDENT}: for the record deletes a round sent; answers how many rows were cancelled. */
    Future<Integer> supersedeIndependent(List<UUID> deletes, Instant now) {
        return pool.preparedQuery(SUPERSEDE_INDEPENDENT).execute(Tuple.of(deletes.toArray(UUID[]::new), at(now)))
                .map(rs -> rs.rowCount());
    }

    /** Refused by its target: kept, failed, for an operator. */
    Future<Void> fail(UUID id, Instant now, String error) {
        return close(id, now, "failed", error);
    }

    /** Never to be sent: the primary refused the write. */
    Future<Void> cancel(UUID id, Instant now, String reason) {
        return close(id, now, STATE_CANCELLED, reason);
    }

    private Future<Void> close(UUID id, Instant now, String state, String reason) {
        return pool.preparedQuery("UPDATE cutover_outbox SET state = $4, last_error = $2, claimed_by = NULL,"
                        + " attempts = attempts + 1, updated_at = $3 WHERE id = $1 AND state = 'pending'")
                .execute(Tuple.of(id, reason, at(now), state)).mapEmpty();
    }

    /** An outbox-order check: does {@code entityKey} have ordered rows still to send towards {@code target}? */
    record Probe(String entityKey, Backend target) {
    }

    /**
     * Of {@code probes}, those whose entity has ordered rows still to send (unconfirmed or pending) towards their
     * target: one round trip, one probe of {@code cutover_outbox_entity_open} per pair, whatever the backlog.
     */
    Future<Set<Probe>> open(List<Probe> probes) {
        String[] entities = new String[probes.size()];
        String[] targets = new String[probes.size()];
        for (int i = 0; i < entities.length; i++) {
            entities[i] = probes.get(i).entityKey();
            targets[i] = probes.get(i).target().id();
        }
        return pool.preparedQuery(OPEN_OF).execute(Tuple.tuple().addArrayOfString(entities).addArrayOfString(targets)).map(rs -> {
            Set<Probe> open = new HashSet<>();
            for (Row r : rs) {
                open.add(new Probe(r.getString(0), Backend.parse(r.getString(1))));
            }
            return open;
        });
    }

    /** See {@link #FALLBACK_CHECK}. */
    Future<DualWrite.Fallback> fallbackCheck(WriteIntent w, Backend primary) {
        return pool.preparedQuery(FALLBACK_CHECK)
                .execute(Tuple.of(w.idempotencyKey(), w.id(), primary.other().id(), w.entityKey(), w.ordered()))
                .map(rs -> {
                    Row r = rs.iterator().next();
                    return new DualWrite.Fallback(r.getBoolean(0), r.getBoolean(1));
                });
    }

    /** Intents whose primary answer was never recorded (their router died): send them, by way of their primary. */
    Future<Integer> promoteUnconfirmed(Instant olderThan, Instant now) {
        return pool.preparedQuery("UPDATE cutover_outbox SET state = 'pending', via_primary = true, updated_at = $2"
                        + " WHERE state = 'unconfirmed' AND created_at < $1")
                .execute(Tuple.of(at(olderThan), at(now))).map(rs -> rs.rowCount());
    }

    Future<Integer> purgeFinished(Instant olderThan) {
        return pool.preparedQuery("DELETE FROM cutover_outbox WHERE state IN ('done', 'cancelled') AND updated_at < $1")
                .execute(Tuple.of(at(olderThan))).map(rs -> rs.rowCount());
    }

    /** Per target: rows still to send, the creation time of the oldest pending one, failed rows, blocked entities. */
    Future<Map<Backend, Backlog>> backlog() {
        Future<io.vertx.sqlclient.RowSet<Row>> rows = pool.query("""
                SELECT target, count(*) FILTER (WHERE state <> 'failed') AS open, count(*) FILTER (WHERE state = 'failed') AS failed,
                       min(created_at) FILTER (WHERE state = 'pending') AS oldest
                  FROM cutover_outbox WHERE state IN ('unconfirmed', 'pending', 'failed') GROUP BY target""").execute();
        Future<io.vertx.sqlclient.RowSet<Row>> blocked = pool.query("""
                SELECT target, count(*) AS n FROM cutover_outbox_queue WHERE blocked_since IS NOT NULL GROUP BY target""").execute();
        return Future.all(rows, blocked).map(v -> {
            Map<Backend, Long> blockedBy = new EnumMap<>(Backend.class);
            for (Row r : blocked.result()) {
                blockedBy.put(Backend.parse(r.getString("target")), r.getLong("n"));
            }
            Map<Backend, Backlog> m = new EnumMap<>(Backend.class);
            for (Row r : rows.result()) {
                Backend b = Backend.parse(r.getString("target"));
                OffsetDateTime oldest = r.getOffsetDateTime("oldest");
                m.put(b, new Backlog(r.getLong("open"), oldest == null ? null : oldest.toInstant(), r.getLong("failed"),
                        blockedBy.getOrDefault(b, 0L)));
            }
            return m;
        });
    }

    /**
     * Rows still to send (pending or unconfirmed), the creation time of the oldest pending one (the lag's
     * start), failed rows (refused by the target), and entities whose head row is failing (their later rows wait).
     */
    record Backlog(long open, Instant oldest, long failed, long blockedEntities) {
        static final Backlog EMPTY = new Backlog(0, null, 0, 0);
    }

    /** An entity whose head row keeps failing: its later rows wait behind it (the ordering contract). */
    record Blocked(Backend target, String entityKey, Instant since, int attempts, String reason, long waiting) {
    }

    /** The entities blocked longest (at most {@code limit}), with how many rows wait behind each head. */
    Future<List<Blocked>> blocked(int limit) {
        return pool.preparedQuery("""
                SELECT q.target, q.entity_key, q.blocked_since, q.attempts, q.last_error,
                       (SELECT count(*) FROM cutover_outbox o WHERE o.target = q.target AND o.entity_key = q.entity_key
                           AND o.ordered AND o.state IN ('unconfirmed', 'pending')) AS waiting
                  FROM cutover_outbox_queue q WHERE q.blocked_since IS NOT NULL ORDER BY q.blocked_since LIMIT $1""")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<Blocked> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Blocked(Backend.parse(r.getString("target")), r.getString("entity_key"),
                                r.getOffsetDateTime("blocked_since").toInstant(), r.getInteger("attempts"),
                                r.getString("last_error"), r.getLong("waiting")));
                    }
                    return out;
                });
    }
}
