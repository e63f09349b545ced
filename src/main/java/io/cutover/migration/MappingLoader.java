package io.cutover.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a mapping file (YAML); see docs/migration.md for the format. Validates it where it is built. */
public final class MappingLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private MappingLoader() {
    }

    public static Mapping defaultMapping(Map<String, String> overrides) {
        try (InputStream in = MappingLoader.class.getResourceAsStream(Mapping.DEFAULT_RESOURCE)) {
            return parse(YAML.readTree(in), overrides, "default mapping");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the default mapping", e);
        }
    }

    public static Mapping load(Path file, Map<String, String> overrides) {
        try {
            return parse(YAML.readTree(Files.readString(file)), overrides, file.toString());
        } catch (IOException e) {
            throw new JobFailure(JobFailure.UNUSABLE, "cannot read mapping " + file + ": " + e.getMessage());
        }
    }

    static Mapping parse(JsonNode root, Map<String, String> overrides, String origin) {
        if (root == null || !root.isObject()) {
            throw invalid(origin, "expected a YAML object with 'tables'");
        }
        Map<String, String> vars = new HashMap<>();
        root.path("variables").fields().forEachRemaining(e -> vars.put(e.getKey(), e.getValue().asText()));
        vars.putAll(overrides);
        Parser p = new Parser(vars, origin);
        List<TableMapping> tables = new ArrayList<>();
        for (JsonNode t : root.path("tables")) {
            tables.add(p.table(t));
        }
        if (tables.isEmpty()) {
            throw invalid(origin, "'tables' is empty (expected: at least one table)");
        }
        return new Mapping(p.required(root.path("name"), "default"),
                p.columnsByTable(root.path("requires").path("source")),
                p.columnsByTable(root.path("requires").path("target")),
                p.strings(root.path("setup")), List.copyOf(tables));
    }

    private static JobFailure invalid(String origin, String message) {
        return new JobFailure(JobFailure.UNUSABLE, "invalid mapping (" + origin + "): " + message);
    }

    private record Parser(Map<String, String> vars, String origin) {

        TableMapping table(JsonNode t) {
            String name = required(t.path("name"), null);
            String target = optional(t.path("target"), name);
            List<ColumnMapping> columns = new ArrayList<>();
            t.path("columns").fields().forEachRemaining(e -> columns.add(column(e.getKey(), e.getValue())));
            if (columns.isEmpty()) {
                throw invalid(origin, "table " + name + ": 'columns' is empty");
            }
            String key = optional(t.path("key"), "id");
            var table = new TableMapping(name, optional(t.path("source"), name), target, key,
                    optional(t.path("recent"), null), strings(t.path("beforeBatch")), List.copyOf(columns));
            ColumnMapping keyColumn = table.column(key);
            if (keyColumn == null || !keyColumn.staged() || table.sourceKey() == null) {
                throw invalid(origin, "table " + name + ": key '" + key
                        + "' must be a mapped column whose source is a plain source column");
            }
            if (table.recent() != null && table.column(table.recent()) == null) {
                throw invalid(origin, "table " + name + ": recent '" + table.recent() + "' is not a mapped column");
            }
            return table;
        }

        ColumnMapping column(String target, JsonNode spec) {
            if (spec.isTextual()) {
                return new ColumnMapping(target, subst(spec.asText()), null, null, null);
            }
            if (!spec.isObject()) {
                throw invalid(origin, "column " + target + ": expected an expression or {source|value, write, check}");
            }
            String source = optional(spec.path("source"), null);
            String value = optional(spec.path("value"), null);
            if ((source == null) == (value == null)) {
                throw invalid(origin, "column " + target + ": give exactly one of 'source' and 'value'");
            }
            return new ColumnMapping(target, source, value, optional(spec.path("write"), null),
                    optional(spec.path("check"), null));
        }

        Map<String, List<String>> columnsByTable(JsonNode node) {
            Map<String, List<String>> result = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> result.put(e.getKey(), strings(e.getValue())));
            return result;
        }

        List<String> strings(JsonNode node) {
            List<String> result = new ArrayList<>();
            node.forEach(n -> result.add(subst(n.asText())));
            return List.copyOf(result);
        }

        String required(JsonNode node, String fallback) {
            String value = optional(node, fallback);
            if (value == null) {
                throw invalid(origin, "a table has no 'name'");
            }
            return value;
        }

        String optional(JsonNode node, String fallback) {
            return node.isMissingNode() || node.isNull() ? fallback : subst(node.asText());
        }

        String subst(String text) {
            Matcher m = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = vars.get(m.group(1));
                if (value == null) {
                    throw invalid(origin, "unknown variable ${" + m.group(1) + "} (define it under 'variables' or with --var)");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            return m.appendTail(out).toString();
        }
    }
}
