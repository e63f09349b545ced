package io.cutover.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on writes: the first request with a key runs and its answer (whatever
 * its status) is stored in {@code cutover_ref_idempotency} in the same transaction; a later
 * request with the key gets that answer and writes nothing. A concurrent request with the same
 * key waits on the key's row (PostgreSQL's unique index) until the first commits, then replays it;
 * if the first rolls back, the key is free again. Keys are per tenant on V2 (scope = the tenant)
 * and global on V1 (scope = "").
 */
final class Idempotency {

    private Idempotency() {
    }

    /**
     * @param scope the tenant on V2, {@code ""} on V1 (keys are per tenant)
     */
    static Future<Reply> once(SqlConnection connection, String scope, String key, Instant now, Supplier<Future<Reply>> write) {
        // status 0 while the first request's transaction still runs
        return connection.preparedQuery("INSERT INTO cutover_ref_idempotency (scope, idempotency_key, status, created_at)"
                        + " VALUES ($1, $2, 0, $3) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(scope, key, Sql.at(now)))
                .compose(inserted -> inserted.rowCount() == 0
                        ? firstAnswer(connection, scope, key)
                        : write.get().compose(reply -> record(connection, scope, key, reply).map(reply)));
    }

    private static Future<Reply> firstAnswer(SqlConnection connection, String scope, String key) {
        return connection.preparedQuery("SELECT status, body FROM cutover_ref_idempotency WHERE scope = $1 AND idempotency_key = $2")
                .execute(Tuple.of(scope, key))
                .map(rows -> {
                    Row answer = rows.iterator().next();
                    return new Reply(answer.getInteger("status"), answer.getString("body"));
                });
    }

    private static Future<Void> record(SqlConnection connection, String scope, String key, Reply reply) {
        return connection.preparedQuery("UPDATE cutover_ref_idempotency SET status = $3, body = $4 WHERE scope = $1 AND idempotency_key = $2")
                .execute(Tuple.of(scope, key, reply.status(), reply.body()))
                .mapEmpty();
    }
}
