package io.cutover.demo;

import io.cutover.demo.idempotency.IdempotentAnswer;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@code Idempotency-Key} on writes: the first request with a key runs and its answer (whatever
 * its status) is stored in {@code cutover_ref_idempotency} in the same transaction; a later
 * request with the key gets that answer and writes nothing. A concurrent request with the same
 * key waits on the key's row (PostgreSQL's unique index) until the first commits, then replays it;
 * if the first rolls back, the key is free again.
 */
final class Idempotency {

    private Idempotency() {
    }

    /**
     * @param scope the tenant on V2, {@code ""} on V1 (keys are per tenant)
     */
    static Uni<Reply> once(Mutiny.Session session, String scope, String key, Instant now, Supplier<Uni<Reply>> write) {
        return session.createNativeQuery("INSERT INTO cutover_ref_idempotency (scope, idempotency_key, status, created_at)"
                        + " VALUES (?1, ?2, 0, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, scope)
                .setParameter(2, key)
                .setParameter(3, now)
                .executeUpdate()
                .chain(inserted -> inserted == 0 ? firstAnswer(session, scope, key) : write.get().call(reply -> record(session, scope, key, reply)));
    }

    private static Uni<Reply> firstAnswer(Mutiny.Session session, String scope, String key) {
        return session.find(IdempotentAnswer.class, new IdempotentAnswer.Key(scope, key))
                .map(answer -> new Reply(answer.status, answer.body));
    }

    private static Uni<Integer> record(Mutiny.Session session, String scope, String key, Reply reply) {
        return session.createNativeQuery("UPDATE cutover_ref_idempotency SET status = ?3, body = ?4"
                        + " WHERE scope = ?1 AND idempotency_key = ?2")
                .setParameter(1, scope)
                .setParameter(2, key)
                .setParameter(3, reply.status())
                .setParameter(4, reply.body())
                .executeUpdate();
    }
}
