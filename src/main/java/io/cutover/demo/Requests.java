package io.cutover.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reads and validates the inputs of a request: path id, JSON body, paging and time window. */
final class Requests {

    /** Page size when {@code limit} is absent: {@value}. */
    static final int DEFAULT_LIMIT = 100;
    /** Largest accepted {@code limit}: {@value}. */
    static final int MAX_LIMIT = 1000;

    private Requests() {
    }

    static String id(RoutingContext ctx) {
        return ctx.pathParam("id");
    }

    static JsonObject body(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            throw ApiError.badRequest("request body must be a JSON object");
        }
        try {
            return new JsonObject(buffer);
        } catch (DecodeException | ClassCastException e) {
            throw ApiError.badRequest("request body is not a valid JSON object");
        }
    }

    static Page page(RoutingContext ctx) {
        return new Page(ctx.queryParams().get("after"), limit(ctx));
    }

    static TimeWindow window(RoutingContext ctx) {
        return new TimeWindow(
                timestamp("from", ctx.queryParams().get("from")),
                timestamp("to", ctx.queryParams().get("to")),
                limit(ctx));
    }

    /** Parses an ISO-8601 instant or offset date-time; {@code null} stays {@code null}. */
    static Instant timestamp(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                // fall through to the error below
            }
        }
        throw ApiError.badField(name, name + " must be an ISO-8601 timestamp, e.g. 2024-01-01T00:00:00Z");
    }

    private static int limit(RoutingContext ctx) {
        String text = ctx.queryParams().get("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ApiError.badField("limit", "limit: " + text + " (expected: 1.." + MAX_LIMIT + ")");
    }
}
