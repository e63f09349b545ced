package io.cutover.demo;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * One client-writable field of an entity: its JSON name, kind, whether a create must carry it,
 * and the value it takes when absent.
 */
record Field(String name, Kind kind, boolean required, Object defaultValue) {

    enum Kind { STRING, OBJECT, BOOLEAN }

    static Field required(String name) {
        return new Field(name, Kind.STRING, true, null);
    }

    static Field optional(String name, Kind kind) {
        return new Field(name, kind, false, null);
    }

    static Field withDefault(String name, Kind kind, Object defaultValue) {
        return new Field(name, kind, false, defaultValue);
    }

    /** The column that stores the field: its name in snake case ({@code ownerId}: {@code owner_id}). */
    String column() {
        return name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    /** May the stored value be JSON null? Required fields and fields with a default may not. */
    boolean nullable() {
        return !required && defaultValue == null;
    }

    /** The value for a create or a replace: the body's value, else the default. */
    Object valueForCreate(JsonObject body) {
        Object value = body.getValue(name);
        if (value == null) {
            if (required) {
                throw ApiError.badField(name, "missing required field: " + name);
            }
            return defaultValue;
        }
        return checked(value);
    }

    /** The value for a merge, where the body carries this field (possibly as null). */
    Object valueForMerge(JsonObject body) {
        Object value = body.getValue(name);
        if (value == null) {
            if (!nullable()) {
                throw ApiError.badField(name, "field " + name + " must not be null");
            }
            return null;
        }
        return checked(value);
    }

    private Object checked(Object value) {
        boolean ok = switch (kind) {
            case STRING -> value instanceof String s && (!required || !s.isBlank());
            case OBJECT -> value instanceof JsonObject;
            case BOOLEAN -> value instanceof Boolean;
        };
        if (!ok) {
            throw ApiError.badField(name, "field " + name + " must be " + expected());
        }
        return value;
    }

    private String expected() {
        return switch (kind) {
            case STRING -> required ? "a non-blank string" : "a string";
            case OBJECT -> "a JSON object";
            case BOOLEAN -> "a boolean";
        };
    }
}
