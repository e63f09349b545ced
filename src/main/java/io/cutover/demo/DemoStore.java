package io.cutover.demo;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The in-memory data of one demo backend, one {@link Scope} per tenant. Every operation runs
 * under this object's lock, so a request (including its Idempotency-Key check) is atomic even
 * when several event loops serve the same router. A demo holds little data; one lock is enough.
 */
final class DemoStore {

    /** Key of the single V1 scope; V2 tenant ids are never {@code null}. */
    static final String SINGLE_TENANT = null;

    private final Map<String, Scope> scopes = new HashMap<>();
    private final IdSequence telemetryIds = new IdSequence();
    private final List<String> idempotencyKeys = new ArrayList<>();
    private long writeCount;

    synchronized Reply read(String tenantId, Function<Scope, Reply> operation) {
        return run(scope(tenantId), operation);
    }

    /**
     * Runs a write, or answers a repeated Idempotency-Key with its first answer (whatever its
     * status) without running it again. Keys are per scope.
     *
     * @param idempotencyKey the request's key, or {@code null}
     */
    synchronized Reply write(String tenantId, String idempotencyKey, Function<Scope, Reply> operation) {
        Scope scope = scope(tenantId);
        if (idempotencyKey != null) {
            idempotencyKeys.add(idempotencyKey);
            Reply first = scope.firstAnswers().get(idempotencyKey);
            if (first != null) {
                return first;
            }
        }
        Reply reply = run(scope, operation);
        if (reply.isSuccess()) {
            writeCount++;
        }
        if (idempotencyKey != null) {
            scope.firstAnswers().put(idempotencyKey, reply);
        }
        return reply;
    }

    synchronized long writeCount() {
        return writeCount;
    }

    synchronized List<String> idempotencyKeys() {
        return List.copyOf(idempotencyKeys);
    }

    synchronized Optional<JsonObject> device(String tenantId, String id) {
        Scope scope = scopes.get(tenantId);
        return scope == null ? Optional.empty() : scope.devices().find(id).map(JsonObject::copy);
    }

    synchronized Optional<JsonObject> device(String id) {
        return scopes.values().stream()
                .flatMap(scope -> scope.devices().find(id).stream())
                .findFirst()
                .map(JsonObject::copy);
    }

    private Scope scope(String tenantId) {
        return scopes.computeIfAbsent(tenantId, t -> new Scope(t, telemetryIds));
    }

    private static Reply run(Scope scope, Function<Scope, Reply> operation) {
        try {
            return operation.apply(scope);
        } catch (ApiError e) {
            return e.toReply();
        }
    }
}
