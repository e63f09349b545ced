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
        return new Reply(200, encode(json));
    }

    static Reply created(Object json) {
        return new Reply(201, encode(json));
    }

    static Reply noContent() {
        return new Reply(204, null);
    }

    static Reply error(int status, String message) {
        return new Reply(status, new JsonObject().put("error", message).encode());
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    private static String encode(Object json) {
        return Json.encode(json);
    }
}
