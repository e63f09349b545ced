package io.cutover.dualwrite;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Keeps ids equal on both sides: on a create, the id the primary assigned is written into the body
 * that the secondary will receive (the reference API accepts a client-supplied {@code id}).
 */
final class CreatedIds {

    private CreatedIds() {
    }

    /** The id of a JSON object body, or {@code null}. */
    static String idOf(Buffer json) {
        JsonObject o = object(json);
        Object id = o == null ? null : o.getValue("id");
        return id == null ? null : String.valueOf(id);
    }

    /**
     * Whether this is a create (a POST with a JSON object body) that carries no id: the secondary would
     * make up its own. Settled intents have the primary's id by then ({@link #withPrimaryId}); one that is
     * not settled (its router died before recording the primary's answer) does not.
     */
    static boolean lacksCreatedId(String method, Buffer requestBody) {
        if (!"POST".equals(method)) {
            return false;
        }
        JsonObject request = object(requestBody);
        return request != null && !request.containsKey("id");
    }

    /**
     * The request body to send to the secondary: the client's, plus the primary's {@code id} when
     * this was a create (a POST) whose body had none.
     */
    static Buffer withPrimaryId(String method, Buffer requestBody, Buffer primaryAnswer) {
        if (!"POST".equals(method) || primaryAnswer == null) {
            return requestBody;
        }
        JsonObject request = object(requestBody);
        if (request == null || request.containsKey("id")) {
            return requestBody;
        }
        JsonObject answer = object(primaryAnswer);
        Object id = answer == null ? null : answer.getValue("id");
        if (id == null) {
            return requestBody;
        }
        return request.copy().put("id", id).toBuffer();
    }

    private static JsonObject object(Buffer json) {
        if (json == null || json.length() == 0 || json.getByte(0) != '{') {
            return null;
        }
        try {
            return new JsonObject(json);
        } catch (DecodeException e) {
            return null;
        }
    }
}
