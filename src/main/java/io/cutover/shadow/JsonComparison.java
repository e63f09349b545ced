package io.cutover.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Compares two JSON trees after normalising them: object field order does not matter, numbers
 * are compared by value ({@code 1 == 1.0 == 1e0}), ISO-8601 timestamps are compared as instants
 * at a precision (so {@code 08:00:00.123456Z} equals {@code 09:00:00.123+01:00} at
 * milliseconds), and ignored paths are left out. Differences are named by JSON path.
 */
final class JsonComparison {

    /** Largest encoded value kept in a difference. */
    static final int MAX_VALUE = 200;
    /** Most differences named for one comparison. */
    static final int MAX_DIFFERENCES = 50;

    private final List<JsonPathPattern> ignored;
    private final ChronoUnit precision;

    JsonComparison(List<String> ignoredPaths, ShadowConfig.Precision precision) {
        this.ignored = ignoredPaths.stream().filter(p -> !p.isBlank()).map(JsonPathPattern::parse).toList();
        this.precision = switch (precision) {
            case SECONDS -> ChronoUnit.SECONDS;
            case MILLIS -> ChronoUnit.MILLIS;
            case MICROS -> ChronoUnit.MICROS;
            case NANOS -> ChronoUnit.NANOS;
        };
    }

    /** The differences of two documents, in a stable order ({@code null} stands for a missing value). */
    List<Difference> compare(JsonNode primary, JsonNode secondary) {
        List<Difference> out = new ArrayList<>();
        walk(primary, secondary, new ArrayList<>(), out);
        return out;
    }

    private void walk(JsonNode a, JsonNode b, List<Object> path, List<Difference> out) {
        if (out.size() >= MAX_DIFFERENCES || (!path.isEmpty() && ignored(path))) {
            return;
        }
        boolean noA = a == null || a.isMissingNode();
        boolean noB = b == null || b.isMissingNode();
        if (noA || noB) {
            if (noA != noB) {
                out.add(difference(path, a, b));
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                path.add(name);
                walk(a.get(name), b.get(name), path, out);
                path.remove(path.size() - 1);
            }
        } else if (a.isArray() && b.isArray()) {
            for (int i = 0, n = Math.max(a.size(), b.size()); i < n; i++) {
                path.add(i);
                walk(a.get(i), b.get(i), path, out);
                path.remove(path.size() - 1);
            }
        } else if (!same(a, b)) {
            out.add(difference(path, a, b));
        }
    }

    private boolean ignored(List<Object> path) {
        for (JsonPathPattern p : ignored) {
            if (p.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isTextual() && b.isTextual()) {
            String x = a.textValue();
            String y = b.textValue();
            return x.equals(y) || sameInstant(x, y);
        }
        return a.equals(b);
    }

    /** Both are ISO-8601 timestamps of the same instant (or local date-time) at the precision. */
    private boolean sameInstant(String x, String y) {
        if (!looksLikeTimestamp(x) || !looksLikeTimestamp(y)) {
            return false;
        }
        int fast = sameFraction(x, y);
        if (fast >= 0) {
            return fast == 1;
        }
        Instant ix = instant(x);
        Instant iy = instant(y);
        if (ix != null && iy != null) {
            return ix.truncatedTo(precision).equals(iy.truncatedTo(precision));
        }
        LocalDateTime lx = local(x);
        LocalDateTime ly = local(y);
        return lx != null && ly != null && lx.truncatedTo(precision).equals(ly.truncatedTo(precision));
    }

    /**
     * The common case without parsing: the same date, time to the second and offset, differing only
     * in the fraction ({@code .123456Z} / {@code .123Z}). 1 same at the precision, 0 different, -1 not this case.
     */
    private int sameFraction(String x, String y) {
        if (!x.regionMatches(0, y, 0, 19) || !digitsAt(x)) {
            return -1;
        }
        int ex = fractionEnd(x);
        int ey = fractionEnd(y);
        if (!x.regionMatches(ex, y, ey, Math.max(x.length() - ex, y.length() - ey))) {
            return -1;
        }
        int digits = switch (precision) {
            case SECONDS -> 0;
            case MILLIS -> 3;
            case MICROS -> 6;
            default -> 9;
        };
        for (int i = 0; i < digits; i++) {
            if (fractionDigit(x, ex, i) != fractionDigit(y, ey, i)) {
                return 0;
            }
        }
        return 1;
    }

    private static boolean digitsAt(String s) {
        for (int i : new int[] {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return s.charAt(13) == ':' && s.charAt(16) == ':';
    }

    /** Where the fraction after the seconds ends (19 when there is none). */
    private static int fractionEnd(String s) {
        if (s.length() == 19 || s.charAt(19) != '.') {
            return 19;
        }
        int i = 20;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static char fractionDigit(String s, int end, int i) {
        int at = 20 + i;
        return at < end ? s.charAt(at) : '0';
    }

    private static boolean looksLikeTimestamp(String s) {
        return s.length() >= 19 && s.charAt(4) == '-' && s.charAt(7) == '-' && (s.charAt(10) == 'T' || s.charAt(10) == 't');
    }

    private static Instant instant(String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static LocalDateTime local(String s) {
        try {
            return LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Difference difference(List<Object> path, JsonNode a, JsonNode b) {
        return new Difference(render(path), encode(a), encode(b));
    }

    static String encode(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return null;
        }
        String s = n.toString();
        return s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) + "..." : s;
    }

    /** {@code $.items[2].name}, with {@code ['odd key']} for names that are not plain identifiers. */
    static String render(List<Object> path) {
        StringBuilder sb = new StringBuilder("$");
        for (Object seg : path) {
            if (seg instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                String name = (String) seg;
                if (plain(name)) {
                    sb.append('.').append(name);
                } else {
                    sb.append("['").append(name.replace("'", "\\'")).append("']");
                }
            }
        }
        return sb.toString();
    }

    private static boolean plain(String name) {
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code path} is {@code ancestor} or lies under it ({@code $.a[1].b} under {@code $.a}). */
    static boolean within(String path, String ancestor) {
        if (!path.startsWith(ancestor)) {
            return false;
        }
        if (path.length() == ancestor.length() || ancestor.equals("$")) {
            return true;
        }
        char next = path.charAt(ancestor.length());
        return next == '.' || next == '[';
    }

    /** The path with every array index replaced by {@code [*]}: {@code $.items[3].at} -> {@code $.items[*].at}. */
    static String generalise(String path) {
        if (path.indexOf('[') < 0) {
            return path;
        }
        StringBuilder sb = new StringBuilder(path.length());
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '[' && i + 1 < path.length() && Character.isDigit(path.charAt(i + 1))) {
                int close = path.indexOf(']', i);
                sb.append("[*]");
                i = close + 1;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
