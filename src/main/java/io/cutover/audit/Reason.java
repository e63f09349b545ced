package io.cutover.audit;

/**
 * The reason an operator gives for a change (a rollback, its release, a progression's pause): one line,
 * at most {@value #MAX} characters, kept in the audit log and the records that carry it.
 */
public final class Reason {

    public static final int MAX = 500;

    private Reason() {
    }

    /** The reason on one line (breaks folded into spaces, trimmed); {@code null} when it is missing, blank or longer than {@value #MAX}. */
    public static String oneLine(String reason) {
        if (reason == null) {
            return null;
        }
        String r = reason.replaceAll("[\\r\\n\\t]+", " ").strip();
        return r.isEmpty() || r.length() > MAX ? null : r;
    }
}
