package io.cutover.dualwrite;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Keeps the fields the primary assigns equal on both sides ({@code cutover.outbox.primary-fields},
 * default {@value OutboxConfig#DEFAULT_PRIMARY_FIELDS}): the values in the primary's answer to a
 * write go into the body that the secondary receives, so that the secondary imports them (the
 * reference API accepts a client-supplied {@code id}, {@code createdAt} and {@code updatedAt})
 * instead of stamping its own.
 */
final class PrimaryFields {

    private final List<String> fields;

    PrimaryFields(List<String> fields) {
        this.fields = List.copyOf(fields);
    }

    /** The id of a JSON object body, or {@code null}. */
    static String idOf(Buffer json) {
        JsonObject o = object(json);
        Object id = o == null ? null : o.getValue("id");
        return id == null ? null : String.valueOf(id);
    }

    /**
     * Whether this is a create (a POST with a JSON object body) that carries no id: the secondary would
     * make up its own. Settled intents have the primary's fields by then ({@link #carried}); one that is
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
     * The request body to send to the secondary: the client's JSON object with the primary's values of
     * the configured fields wherever its answer has them (for a create, the id it gave; for a create or an
     * update, the times it stamped). Anything that is not a JSON object on either side is sent unchanged.
     */
    Buffer carried(String method, Buffer requestBody, Buffer primaryAnswer) {
        if ("DELETE".equals(method) || primaryAnswer == null) {
            return requestBody;
        }
        JsonObject request = object(requestBody);
        JsonObject answer = request == null ? null : object(primaryAnswer);
        if (answer == null) {
            return requestBody;
        }
        JsonObject out = null;
        for (String f : fields) {
            Object v = answer.getValue(f);
            if (v == null || v.equals(request.getValue(f)) || ("id".equals(f) && !"POST".equals(method))) {
                continue;
            }
            if (out == null) {
                out = request.copy();
            }
            out.put(f, v);
        }
        return out == null ? requestBody : out.toBuffer();
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
