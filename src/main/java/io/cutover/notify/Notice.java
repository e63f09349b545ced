package io.cutover.notify;

import java.time.Instant;
import java.util.Map;

/**
 * One event told to the operators: its type (for filters), a Slack-compatible {@code text} and
 * the structured fields. Sent as {@code {"event", "text", "at", "replica", "fields": {...}}}.
 */
public record Notice(Event event, String text, Map<String, Object> fields, Instant at) {

    /** The events the router notifies. */
    public enum Event {
        LATCHED, RELEASED, STEP_PROMOTED, STEP_HELD, GATE_WAITING, PROGRESSION_ABORTED, TENANT_STATE_MOVED, PIN_REFUSED;

        private final String tag = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

        public String tag() {
            return tag;
        }
    }

    public Notice {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** A notice with fields given as name, value, name, value... (values may be null). */
    public static Notice of(Event event, Instant at, String text, Object... fields) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            m.put((String) fields[i], fields[i + 1]);
        }
        return new Notice(event, text, m, at);
    }
}
