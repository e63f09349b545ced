package io.cutover.routing;

import io.cutover.edge.CanonicalPath;
import io.cutover.routing.RequestKind.IdFrom;
import io.cutover.routing.RequestKind.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The declared routes of the traffic policy ({@code routes:}, docs/policy.md), compiled once when the
 * policy is loaded: which paths migrate, which entity a write belongs to and where its id is, which
 * writes are ordered with which and which are independent. A request matches the first route whose
 * path template it fits, segment by segment (never by substring): a literal segment equals the path's
 * segment, {@code {name}} takes any one non-empty segment, a last {@code **} takes what is left (nothing
 * included). Empty segments (a trailing slash, {@code //}) are skipped, as the backends' HTTP stacks do.
 * Matching allocates nothing but the id it returns.
 */
public final class RouteTable {

    /** One route as declared; {@code id} is {@code body}, {@code {name}} of a path variable, or {@code null}. */
    public record Spec(String path, String name, String entity, String id, boolean independent) {
    }

    /** {@value} */
    public static final String ID_FROM_BODY = "body";

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern ENTITY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** RFC 3986 pchar without '%' (the path is matched canonical: unreserved escapes decoded) and ';'. */
    private static final String LITERAL_CHARS = "-._~!$&'()+,=:@";
    private static final String TAIL = "**";

    /** The reference API (reference/README.md): devices and their readings. */
    public static final List<Spec> REFERENCE_SPECS = List.of(
            new Spec("/api/devices", "devices", "device", ID_FROM_BODY, false),
            new Spec("/api/devices/{id}", "devices", "device", null, false),
            new Spec("/api/devices/{id}/telemetry", "telemetry", "device", null, true),
            new Spec("/api/devices/{id}/telemetry/**", "telemetry", "device", null, true),
            new Spec("/api/devices/{id}/**", "devices", "device", null, false),
            new Spec("/api/telemetry/**", "telemetry", null, null, true));

    /** The table in force when the policy declares none (and {@code cutover.proxy.migrating-paths} is left alone). */
    public static final RouteTable REFERENCE = compileOrThrow(REFERENCE_SPECS, "the reference table");

    /** The migrating prefixes that {@link #REFERENCE} stands for. */
    public static final List<String> REFERENCE_PREFIXES = List.of("/api/devices", "/api/telemetry");


    private final Template[] templates;
    private final List<Spec> specs;

    private RouteTable(Template[] templates, List<Spec> specs) {
        this.templates = templates;
        this.specs = List.copyOf(specs);
    }

    /** The routes as declared, in order. */
    public List<Spec> specs() {
        return specs;
    }

    /**
     * Compiles a table, adding to {@code problems} one line per fault ({@code routes[2].path: ... (expected: ...)});
     * {@code null} when there was any.
     *
     * @param where the key the routes were declared under, for the messages ({@code routes})
     */
    public static RouteTable compile(List<Spec> specs, String where, List<String> problems) {
        int before = problems.size();
        Template[] compiled = new Template[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            compiled[i] = Template.compile(specs.get(i), where + "[" + i + "]", problems);
        }
        for (int j = 0; j < compiled.length; j++) {
            for (int i = 0; i < j && compiled[j] != null; i++) {
                if (compiled[i] != null && compiled[i].covers(compiled[j])) {
                    problems.add(where + "[" + j + "].path: '" + specs.get(j).path() + "' is never matched: " + where + "[" + i
                            + "] '" + specs.get(i).path() + "' comes first and matches every path it does"
                            + " (expected: the more specific route before the more general one)");
                    break;
                }
            }
        }
        return problems.size() > before ? null : new RouteTable(compiled, specs);
    }

    /**
     * The table that {@code cutover.proxy.migrating-paths} (deprecated) stands for: the reference table's routes under
     * each prefix that is one of the reference API's, and for any other prefix one route {@code <prefix>/**} named after
     * its last segment, without an entity (its writes ordered per tenant).
     *
     * @throws IllegalArgumentException naming what is wrong with the prefixes
     */
    public static RouteTable fromMigratingPaths(List<String> prefixes) {
        List<String> trimmed = prefixes.stream().map(RouteTable::trimSlash).filter(p -> !p.isEmpty()).toList();
        if (new HashSet<>(trimmed).equals(new HashSet<>(REFERENCE_PREFIXES))) {
            return REFERENCE;
        }
        List<Spec> specs = new ArrayList<>();
        for (String prefix : trimmed) {
            if (REFERENCE_PREFIXES.contains(prefix)) {
                for (Spec s : REFERENCE_SPECS) {
                    if (CanonicalPath.within(s.path(), prefix)) {
                        specs.add(s);
                    }
                }
            }
        }
        for (String prefix : trimmed) {
            if (!REFERENCE_PREFIXES.contains(prefix)) {
                String last = prefix.substring(prefix.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
                specs.add(new Spec((prefix.equals("/") ? "" : prefix) + "/" + TAIL, NAME.matcher(last).matches() && !Route.OTHER_TAG.equals(last)
                        ? last : "migrating", null, null, false));
            }
        }
        return compileOrThrow(specs, "cutover.proxy.migrating-paths");
    }

    private static RouteTable compileOrThrow(List<Spec> specs, String where) {
        List<String> problems = new ArrayList<>();
        RouteTable t = compile(specs, where, problems);
        if (t == null) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return t;
    }

    /** The kind of a request on {@code path} (canonical, without the query). */
    public RequestKind classify(String method, String path) {
        boolean write = isWrite(method);
        for (Template t : templates) {
            long m = t.match(path, false);
            if (m >= 0) {
                String id = m == 0 ? null : path.substring((int) (m >>> 32), (int) m);
                return new RequestKind(t.route, write, id);
            }
        }
        return new RequestKind(Route.OTHER, write, null);
    }

    /**
     * The declared template that {@code path} matches only when letter case is ignored ({@code /API/devices}), or
     * {@code null}. Paths are case-sensitive, so such a path does not migrate; a backend that ignores case would
     * still take it as one, a write that dual write never sees.
     */
    public String caseVariantOf(String path) {
        String variant = null;
        for (int i = 0; i < templates.length; i++) {
            Template t = templates[i];
            if (t.match(path, true) < 0) {
                continue;
            }
            if (t.match(path, false) >= 0) {
                return null;                    // an exact match (every exact match also matches ignoring case)
            }
            if (variant == null) {
                variant = specs.get(i).path();
            }
        }
        return variant;
    }

    /** POST, PUT, PATCH and DELETE write; everything else reads. */
    public static boolean isWrite(String method) {
        return switch (method) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        };
    }

    /** Two tables are equal when they declare the same routes in the same order. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RouteTable t && specs.equals(t.specs);
    }

    @Override
    public int hashCode() {
        return specs.hashCode();
    }

    @Override
    public String toString() {
        return specs.stream().map(Spec::path).toList().toString();
    }

    private static String trimSlash(String p) {
        String t = p.trim();
        return t.endsWith("/") && t.length() > 1 ? t.substring(0, t.length() - 1) : t;
    }

    /** One compiled path template: its literal segments ({@code null} for a variable), a tail, and its route. */
    private static final class Template {
        private final String[] literals;
        private final boolean tail;
        private final int idIndex;
        private final Route route;

        private Template(String[] literals, boolean tail, int idIndex, Route route) {
            this.literals = literals;
            this.tail = tail;
            this.idIndex = idIndex;
            this.route = route;
        }

        static Template compile(Spec s, String where, List<String> problems) {
            int before = problems.size();
            String path = s.path();
            List<String> literals = new ArrayList<>();
            List<String> variables = new ArrayList<>();
            boolean tail = false;
            if (path == null || path.isEmpty() || path.charAt(0) != '/') {
                problems.add(where + ".path: " + (path == null ? "missing" : "'" + path + "'")
                        + " (expected: a path template starting with '/', such as /api/devices/{id})");
                return null;
            }
            String[] segments = path.length() == 1 ? new String[0] : path.substring(1).split("/", -1);
            for (int k = 0; k < segments.length; k++) {
                String seg = segments[k];
                java.util.regex.Matcher v = VARIABLE.matcher(seg);
                if (tail) {
                    problems.add(where + ".path: '" + path + "' has segments after '**' (expected: '**' last only)");
                    break;
                }
                if (seg.equals(TAIL)) {
                    tail = true;
                    literals.add(null);
                } else if (v.matches()) {
                    if (variables.contains(v.group(1))) {
                        problems.add(where + ".path: '" + path + "' names {" + v.group(1) + "} twice (expected: distinct names)");
                    }
                    variables.add(v.group(1));
                    literals.add(null);
                } else if (!isLiteral(seg)) {
                    problems.add(where + ".path: '" + path + "' has the segment '" + seg + "' (expected: a literal of letters,"
                            + " digits and " + LITERAL_CHARS + " but not . or .., a variable such as {id}, or a last **;"
                            + " no empty segment, no trailing slash)");
                } else {
                    literals.add(seg);
                }
            }
            if (s.name() == null || !NAME.matcher(s.name()).matches() || Route.OTHER_TAG.equals(s.name())) {
                problems.add(where + ".name: " + (s.name() == null ? "missing" : "'" + s.name() + "'") + " (expected: the route's"
                        + " name, the route tag of cutover_requests_total: lower-case letters, digits, - and _, not '"
                        + Route.OTHER_TAG + "', such as devices)");
            }
            if (s.entity() != null && (!ENTITY.matcher(s.entity()).matches() || s.entity().equals("tenant"))) {
                problems.add(where + ".entity: '" + s.entity() + "' (expected: a name of letters, digits, ., - and _, such as"
                        + " device; not 'tenant', which keys the writes of routes without an entity)");
            }
            IdFrom idFrom = IdFrom.NONE;
            int idIndex = -1;
            String id = s.id();
            if (s.entity() == null && id != null) {
                problems.add(where + ".id: '" + id + "' (expected: no id without an entity: the id says where the entity's is)");
            } else if (s.entity() != null && ID_FROM_BODY.equals(id)) {
                idFrom = IdFrom.BODY;
            } else if (s.entity() != null) {
                String variable = id == null ? null : variableName(id);
                if (id == null && variables.size() == 1) {
                    variable = variables.get(0);
                }
                if (variable == null || !variables.contains(variable)) {
                    problems.add(where + ".id: " + (id == null ? "missing" : "'" + id + "'") + " (expected: "
                            + (variables.isEmpty() ? "" : "one of the path's variables " + variables.stream().map(n -> "'{" + n + "}'")
                            .toList() + " (quoted in YAML), or ") + "'" + ID_FROM_BODY + "': the body's id, for a create on a"
                            + " collection)");
                } else {
                    idFrom = IdFrom.PATH;
                    idIndex = indexOfVariable(segments, variable);
                }
            }
            if (problems.size() > before) {
                return null;
            }
            return new Template(literals.toArray(new String[0]), tail, idIndex,
                    new Route(s.name(), s.entity(), idFrom, s.independent()));
        }

        private static String variableName(String id) {
            java.util.regex.Matcher v = VARIABLE.matcher(id);
            return v.matches() ? v.group(1) : null;
        }

        private static int indexOfVariable(String[] segments, String name) {
            for (int k = 0; k < segments.length; k++) {
                if (segments[k].equals("{" + name + "}")) {
                    return k;
                }
            }
            return -1;
        }

        private static boolean isLiteral(String seg) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                return false;
            }
            for (int i = 0; i < seg.length(); i++) {
                char c = seg.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || LITERAL_CHARS.indexOf(c) >= 0;
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        /** The number of fixed segments (literals and variables). */
        private int fixed() {
            return tail ? literals.length - 1 : literals.length;
        }

        /**
         * Matches {@code path}: -1 if it does not, else the id's segment as {@code start << 32 | end}, or 0 when the
         * route takes no id from the path.
         */
        long match(String path, boolean ignoreCase) {
            int n = path.length();
            int pos = 0;
            long id = 0;
            int fixed = fixed();
            for (int k = 0; k < fixed; k++) {
                int start = pos;
                while (start < n && path.charAt(start) == '/') {
                    start++;
                }
                if (start >= n) {
                    return -1;
                }
                int end = path.indexOf('/', start);
                if (end < 0) {
                    end = n;
                }
                String lit = literals[k];
                if (lit != null) {
                    if (end - start != lit.length() || !path.regionMatches(ignoreCase, start, lit, 0, lit.length())) {
                        return -1;
                    }
                } else if (k == idIndex) {
                    id = ((long) start << 32) | end;
                }
                pos = end;
            }
            if (!tail) {
                for (int i = pos; i < n; i++) {
                    if (path.charAt(i) != '/') {
                        return -1;
                    }
                }
            }
            return id;
        }

        /** Whether every path that {@code later} matches, this one matches too. */
        boolean covers(Template later) {
            int mine = fixed();
            int theirs = later.fixed();
            for (int k = 0; ; k++) {
                if (k == mine) {
                    return tail || (k == theirs && !later.tail);
                }
                if (k == theirs) {
                    return false;       // this one needs more segments than some of later's paths have
                }
                String a = literals[k];
                String b = later.literals[k];
                if (a != null && (b == null || !a.equals(b))) {
                    return false;
                }
            }
        }
    }
}
