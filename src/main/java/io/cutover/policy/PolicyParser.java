package io.cutover.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cutover.routing.Backend;
import io.cutover.routing.RouteTable;
import io.cutover.routing.StickyBuckets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the traffic policy file (YAML) into a {@link TrafficPolicy}, refusing anything it does
 * not understand. Every key is optional and falls back to {@link TrafficPolicy#DEFAULT}; an unknown
 * key is an error, so that a typo ({@code v2weight}) is not silently ignored.
 */
public final class PolicyParser {

    static final Set<String> TOP_LEVEL_KEYS =
            Set.of("v2Weight", "stickyBy", "stickySalt", "tenants", "dualWrite", "shadowReads", "rollback", "progression",
                    "testers", "routes");
    static final Set<String> ROLLBACK_KEYS = Set.of("errorRate", "minRequests", "window", "p99LatencyMs", "confidence",
            "promoteConfidence", "horizon", "latencyMargin");
    static final Set<String> PROGRESSION_KEYS = Set.of("steps", "interval", "gates");
    static final String GATE_MANUAL = "manual";
    static final Set<String> PIN_KEYS = Set.of("backend", "force");
    static final Set<String> ROUTE_KEYS = Set.of("path", "name", "entity", "id", "independent");
    private static final String PIN_EXPECTED = "v1, v2 or {backend: v1|v2, force: true|false}";

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private final ObjectMapper yaml = new ObjectMapper(
            YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /**
     * @param source where the text came from, for the message (a file path)
     * @throws InvalidPolicyException naming every bad field and what was expected
     */
    public TrafficPolicy parse(String text, String source) throws InvalidPolicyException {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidPolicyException(source, List.of("not valid YAML" + where + ": " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InvalidPolicyException(source, List.of("empty file (expected: a YAML mapping such as 'v2Weight: 10')"));
        }
        if (!root.isObject()) {
            throw new InvalidPolicyException(source,
                    List.of("top level is " + kind(root) + " (expected: a YAML mapping such as 'v2Weight: 10')"));
        }
        Fields f = new Fields();
        f.unknownKeys(root, "", TOP_LEVEL_KEYS);
        TrafficPolicy d = TrafficPolicy.DEFAULT;
        double weight = f.number(root, "v2Weight", 0, 100, d.v2Weight(), "a number from 0 to 100");
        StickyBy stickyBy = f.stickyBy(root.get("stickyBy"), d.stickyBy());
        String salt = f.string(root, "stickySalt", d.stickySalt());
        Set<String> forcedPins = new java.util.HashSet<>();
        Map<String, Backend> pins = f.pins(root.get("tenants"), forcedPins);
        boolean dualWrite = f.bool(root, "dualWrite", d.dualWrite());
        double shadow = f.number(root, "shadowReads", 0, 1, d.shadowReads(), "a number from 0 to 1");
        RollbackThresholds rollback = f.rollback(root.get("rollback"), d.rollback());
        ProgressionPlan progression = f.progression(root.get("progression"));
        Set<String> testers = f.testers(root.get("testers"));
        RouteTable routes = f.routes(root.get("routes"));
        if (progression != null) {
            JsonNode w = root.get("v2Weight");
            if (w != null && !w.isNull() && w.isNumber() && w.asDouble() != progression.last()) {
                f.problems.add("v2Weight: " + w.asText() + " (expected: absent or " + progression.last()
                        + ", the last step: with progression the steps set the weight in force)");
            }
            weight = progression.last();
        }
        if (!f.problems.isEmpty()) {
            throw new InvalidPolicyException(source, f.problems);
        }
        return new TrafficPolicy(weight, StickyBuckets.bucketsFor(weight), stickyBy, salt, pins, dualWrite, shadow, rollback,
                forcedPins, progression, testers, routes);
    }

    private static String kind(JsonNode n) {
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        return n.isTextual() ? "'" + n.asText() + "'" : n.toString();
    }

    /** Collects the problems of one document, so that one reload reports all of them at once. */
    private static final class Fields {
        final List<String> problems = new ArrayList<>();

        void unknownKeys(JsonNode object, String prefix, Set<String> known) {
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!known.contains(key)) {
                    problems.add(prefix + key + ": unknown key (expected one of " + known.stream().sorted().toList() + ")");
                }
            }
        }

        double number(JsonNode parent, String key, double min, double max, double dflt, String expected) {
            return number(parent, key, key, min, max, dflt, expected);
        }

        double number(JsonNode parent, String key, String path, double min, double max, double dflt, String expected) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isNumber() || Double.isNaN(n.asDouble()) || n.asDouble() < min || n.asDouble() > max) {
                problems.add(path + ": " + kind(n) + " (expected: " + expected + ")");
                return dflt;
            }
            return n.asDouble();
        }

        boolean bool(JsonNode parent, String key, boolean dflt) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isBoolean()) {
                problems.add(key + ": " + kind(n) + " (expected: true or false)");
                return dflt;
            }
            return n.asBoolean();
        }

        String string(JsonNode parent, String key, String dflt) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                return dflt;
            }
            if (!n.isValueNode() || n.asText().isBlank()) {
                problems.add(key + ": " + kind(n) + " (expected: a non-empty string)");
                return dflt;
            }
            return n.asText();
        }

        StickyBy stickyBy(JsonNode n, StickyBy dflt) {
            if (n == null || n.isNull()) {
                return dflt;
            }
            StickyBy parsed = n.isTextual() ? StickyBy.parse(n.asText()) : null;
            if (parsed == null) {
                problems.add("stickyBy: " + kind(n) + " (expected: tenant, device, random or header:<Name>)");
                return dflt;
            }
            return parsed;
        }

        /**
         * {@code tenant: v2}, or {@code tenant: {backend: v2, force: true}} to keep a pin to V2 that the
         * verification gate would refuse; forced tenants go into {@code forced}.
         */
        Map<String, Backend> pins(JsonNode n, Set<String> forced) {
            Map<String, Backend> pins = new LinkedHashMap<>();
            if (n == null || n.isNull()) {
                return pins;
            }
            if (!n.isObject()) {
                problems.add("tenants: " + kind(n) + " (expected: a mapping of tenant to " + PIN_EXPECTED + ")");
                return pins;
            }
            n.fields().forEachRemaining(e -> {
                String path = "tenants." + e.getKey();
                JsonNode v = e.getValue();
                JsonNode backend = v;
                if (v.isObject()) {
                    unknownKeys(v, path + ".", PIN_KEYS);
                    backend = v.get("backend");
                    path += ".backend";
                    JsonNode force = v.get("force");
                    if (force != null && !force.isNull() && !force.isBoolean()) {
                        problems.add("tenants." + e.getKey() + ".force: " + kind(force) + " (expected: true or false)");
                    } else if (force != null && force.asBoolean()) {
                        forced.add(e.getKey());
                    }
                }
                Backend b = backend != null && backend.isTextual() ? Backend.parse(backend.asText()) : null;
                if (b == null) {
                    problems.add(path + ": " + (backend == null ? "missing" : kind(backend)) + " (expected: "
                            + (v.isObject() || v.isTextual() ? "v1 or v2" : PIN_EXPECTED) + ")");
                } else {
                    pins.put(e.getKey(), b);
                }
            });
            return pins;
        }

        RollbackThresholds rollback(JsonNode n, RollbackThresholds d) {
            if (n == null || n.isNull()) {
                return d;
            }
            if (!n.isObject()) {
                problems.add("rollback: " + kind(n) + " (expected: a mapping with " + ROLLBACK_KEYS.stream().sorted().toList() + ")");
                return d;
            }
            unknownKeys(n, "rollback.", ROLLBACK_KEYS);
            double errorRate = number(n, "errorRate", "rollback.errorRate", 0, 1, d.errorRate(), "a number from 0 to 1");
            double minRequests = number(n, "minRequests", "rollback.minRequests", 1, Integer.MAX_VALUE, d.minRequests(),
                    "a whole number of at least 1");
            if (minRequests != Math.rint(minRequests)) {
                problems.add("rollback.minRequests: " + minRequests + " (expected: a whole number of at least 1)");
            }
            double p99 = number(n, "p99LatencyMs", "rollback.p99LatencyMs", 1, Long.MAX_VALUE, d.p99LatencyMs(),
                    "a number of milliseconds of at least 1");
            Duration window = duration(n.get("window"), "rollback.window", d.window());
            double confidence = number(n, "confidence", "rollback.confidence", 0.5, 1, d.confidence(),
                    "a number from 0.5 to 1, exclusive, such as 0.9999");
            double promote = number(n, "promoteConfidence", "rollback.promoteConfidence", 0.5, 1, d.promoteConfidence(),
                    "a number from 0.5 to 1, exclusive, such as 0.95");
            for (String key : new String[] {"confidence", "promoteConfidence"}) {
                JsonNode c = n.get(key);
                if (c != null && c.isNumber() && c.asDouble() >= 1) {
                    problems.add("rollback." + key + ": " + c.asText() + " (expected: below 1: certainty is never reached)");
                }
            }
            Duration horizon = duration(n.get("horizon"), "rollback.horizon", d.horizon());
            if (horizon.compareTo(Duration.ofSeconds(1)) < 0 || horizon.compareTo(RollbackThresholds.MAX_HORIZON) > 0) {
                problems.add("rollback.horizon: " + n.get("horizon").asText() + " (expected: from 1s to "
                        + RollbackThresholds.MAX_HORIZON.toMinutes() + "m)");
                horizon = d.horizon();
            }
            double latencyMargin = number(n, "latencyMargin", "rollback.latencyMargin", 0, 1, d.latencyMargin(),
                    "a number from 0 to 1");
            return new RollbackThresholds(errorRate, (int) minRequests, window, (long) p99, confidence, promote, horizon,
                    latencyMargin);
        }

        /**
         * {@code progression: {steps: [1, 5, 25, 50, 100], interval: 10m, gates: {50: manual}}}: steps strictly
         * increasing from 0 to 100, gates only on steps; {@code null} when absent.
         */
        ProgressionPlan progression(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isObject()) {
                problems.add("progression: " + kind(n) + " (expected: a mapping with " + PROGRESSION_KEYS.stream().sorted().toList() + ")");
                return null;
            }
            int before = problems.size();
            unknownKeys(n, "progression.", PROGRESSION_KEYS);
            List<Double> steps = new ArrayList<>();
            JsonNode s = n.get("steps");
            if (s == null || !s.isArray() || s.isEmpty()) {
                problems.add("progression.steps: " + (s == null ? "missing" : kind(s))
                        + " (expected: a list of increasing weights from 0 to 100, such as [1, 5, 25, 50, 100])");
            } else {
                for (int i = 0; i < s.size(); i++) {
                    JsonNode e = s.get(i);
                    double prev = steps.isEmpty() ? -1 : steps.get(steps.size() - 1);
                    if (!e.isNumber() || e.asDouble() < 0 || e.asDouble() > 100 || e.asDouble() <= prev) {
                        problems.add("progression.steps[" + i + "]: " + kind(e) + " (expected: a weight from 0 to 100, above "
                                + (prev < 0 ? "nothing" : "the step before, " + prev) + ")");
                    } else {
                        steps.add(e.asDouble());
                    }
                }
            }
            Duration interval = duration(n.get("interval"), "progression.interval", ProgressionPlan.DEFAULT_INTERVAL);
            Set<Double> gates = new java.util.HashSet<>();
            JsonNode g = n.get("gates");
            if (g != null && !g.isNull()) {
                if (!g.isObject()) {
                    problems.add("progression.gates: " + kind(g) + " (expected: a mapping of step to manual, such as {50: manual})");
                } else {
                    g.fields().forEachRemaining(e -> {
                        Double w = null;
                        try {
                            w = Double.parseDouble(e.getKey());
                        } catch (NumberFormatException ignored) {
                            // reported below
                        }
                        if (w == null || !steps.contains(w)) {
                            problems.add("progression.gates." + e.getKey() + ": not a step (expected one of " + steps + ")");
                        } else if (!e.getValue().isTextual() || !GATE_MANUAL.equals(e.getValue().asText())) {
                            problems.add("progression.gates." + e.getKey() + ": " + kind(e.getValue()) + " (expected: manual)");
                        } else {
                            gates.add(w);
                        }
                    });
                }
            }
            return problems.size() > before ? null : new ProgressionPlan(steps, interval, gates);
        }

        /** {@code testers: [qa, acme]}: tenants allowed to use the override header. */
        Set<String> testers(JsonNode n) {
            Set<String> testers = new java.util.HashSet<>();
            if (n == null || n.isNull()) {
                return testers;
            }
            if (!n.isArray()) {
                problems.add("testers: " + kind(n) + " (expected: a list of tenants, such as [qa])");
                return testers;
            }
            for (int i = 0; i < n.size(); i++) {
                JsonNode e = n.get(i);
                if (!e.isTextual() || e.asText().isBlank()) {
                    problems.add("testers[" + i + "]: " + kind(e) + " (expected: a tenant id)");
                } else {
                    testers.add(e.asText().trim());
                }
            }
            return testers;
        }

        /**
         * {@code routes: [{path: /api/devices/{id}, name: devices, entity: device}, ...]}: the route table, compiled
         * ({@link RouteTable}); {@code null} when absent (the router's default table is in force).
         */
        RouteTable routes(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            if (!n.isArray()) {
                problems.add("routes: " + kind(n) + " (expected: a list of routes such as"
                        + " [{path: /api/devices/{id}, name: devices, entity: device}])");
                return null;
            }
            int before = problems.size();
            List<RouteTable.Spec> specs = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode r = n.get(i);
                String where = "routes[" + i + "]";
                if (!r.isObject()) {
                    problems.add(where + ": " + kind(r) + " (expected: a mapping with " + ROUTE_KEYS.stream().sorted().toList() + ")");
                    continue;
                }
                unknownKeys(r, where + ".", ROUTE_KEYS);
                JsonNode independent = r.get("independent");
                if (independent != null && !independent.isNull() && !independent.isBoolean()) {
                    problems.add(where + ".independent: " + kind(independent) + " (expected: true or false)");
                }
                specs.add(new RouteTable.Spec(text(r, "path", where), text(r, "name", where), text(r, "entity", where),
                        text(r, "id", where), independent != null && independent.asBoolean()));
            }
            if (problems.size() > before) {
                return null;
            }
            return RouteTable.compile(specs, "routes", problems);
        }

        /** A scalar's text, or {@code null} when absent; anything else is a problem. */
        private String text(JsonNode parent, String key, String where) {
            JsonNode v = parent.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                problems.add(where + "." + key + ": " + kind(v) + " (expected: a string"
                        + ("id".equals(key) ? "; quote a variable in YAML: '{id}'" : "") + ")");
                return null;
            }
            return v.asText();
        }

        Duration duration(JsonNode n, String path, Duration dflt) {
            if (n == null || n.isNull()) {
                return dflt;
            }
            Duration parsed = null;
            if (n.isNumber() && n.asDouble() > 0) {
                parsed = Duration.ofMillis(Math.round(n.asDouble() * 1000));
            } else if (n.isTextual()) {
                parsed = parseDuration(n.asText().trim());
            }
            if (parsed == null || parsed.isZero() || parsed.isNegative()) {
                problems.add(path + ": " + kind(n) + " (expected: a positive duration such as 30s, 2m or PT1M)");
                return dflt;
            }
            return parsed;
        }
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            long unitMs = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            return Duration.ofMillis(Math.round(v * unitMs));
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
