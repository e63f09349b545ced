package io.cutover.demo;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * An HTTP answer, body already encoded so that a replay for a repeated Idempotency-Key is
 * byte-for-byte the first answer.
 *
 * @param status HTTP status code
 * @param body   encoded JSON body, or {@code null} for no body
 */
record Reply(int status, String body) {

    static Reply ok(Object json) {
        return new Reply(200, Json.encode(json));
    }

    static Reply created(Object json) {
        return new Reply(201, Json.encode(json));
    }

    static Reply noContent() {
        return new Reply(204, null);
    }

    static Reply error(int status, String message) {
        return error(status, message, null);
    }

    /** {@code {"error": message, "status": status}}, plus {@code "field"} when one is named. */
    static Reply error(int status, String message, String field) {
        JsonObject json = new JsonObject().put("error", message).put("status", status);
        if (field != null) {
            json.put("field", field);
        }
        return new Reply(status, json.encode());
    }
}
