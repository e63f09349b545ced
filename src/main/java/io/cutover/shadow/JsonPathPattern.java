package io.cutover.shadow;

import java.util.ArrayList;
import java.util.List;

/**
 * One ignored JSON path of {@code cutover.shadow.ignored-paths}: {@code $} followed by steps
 * {@code .name}, {@code ['name']}, {@code [3]}, {@code [*]}, {@code .*}, and {@code ..name} or
 * {@code ..*} (at any depth). It matches a concrete path, given as field names and array indexes.
 */
final class JsonPathPattern {

    private static final Object ANY = new Object();

    /** A step: a field name (String), an index (Integer) or {@link #ANY}; {@code deep} also skips any number of levels first. */
    private record Step(Object what, boolean deep) {
    }

    private final String text;
    private final List<Step> steps;

    private JsonPathPattern(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps;
    }

    /** @throws IllegalArgumentException naming the pattern and what is wrong with it */
    static JsonPathPattern parse(String text) {
        String p = text.strip();
        if (!p.startsWith("$")) {
            throw bad(text, "it must start with $");
        }
        List<Step> steps = new ArrayList<>();
        int i = 1;
        while (i < p.length()) {
            char c = p.charAt(i);
            boolean deep = false;
            if (c == '.') {
                if (p.startsWith("..", i)) {
                    deep = true;
                    i++;
                }
                i++;
                int end = i;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                String name = p.substring(i, end);
                if (name.isEmpty()) {
                    if (deep && end < p.length() && p.charAt(end) == '[') {
                        steps.add(new Step(null, true)); // "..[*]": a deep marker, the bracket follows
                        i = end;
                        continue;
                    }
                    throw bad(text, "empty field name at " + i);
                }
                steps.add(new Step(name.equals("*") ? ANY : name, deep));
                i = end;
            } else if (c == '[') {
                int close = p.indexOf(']', i);
                if (close < 0) {
                    throw bad(text, "[ without ]");
                }
                String inside = p.substring(i + 1, close).strip();
                Object what;
                if (inside.equals("*")) {
                    what = ANY;
                } else if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    what = inside.substring(1, inside.length() - 1);
                } else {
                    try {
                        what = Integer.parseInt(inside);
                    } catch (NumberFormatException e) {
                        throw bad(text, "'" + inside + "' in brackets (expected: *, an index or a quoted name)");
                    }
                }
                boolean pendingDeep = !steps.isEmpty() && steps.get(steps.size() - 1).what() == null;
                if (pendingDeep) {
                    steps.remove(steps.size() - 1);
                }
                steps.add(new Step(what, pendingDeep));
                i = close + 1;
            } else {
                throw bad(text, "unexpected '" + c + "' at " + i);
            }
        }
        return new JsonPathPattern(p, List.copyOf(steps));
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("cutover.shadow.ignored-paths: '" + text + "': " + why
                + " (expected a JSON path such as $.tenantId, $[*].tenantId or $..tenantId)");
    }

    /** Whether this pattern names exactly this path (field names are Strings, indexes Integers). */
    boolean matches(List<Object> path) {
        return match(0, path, 0);
    }

    private boolean match(int s, List<Object> path, int at) {
        if (s == steps.size()) {
            return at == path.size();
        }
        Step step = steps.get(s);
        int last = step.deep() ? path.size() - 1 : at;
        for (int i = at; i <= last && i < path.size(); i++) {
            if (fits(step.what(), path.get(i)) && match(s + 1, path, i + 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fits(Object what, Object segment) {
        return what == ANY || what.equals(segment);
    }

    @Override
    public String toString() {
        return text;
    }
}
