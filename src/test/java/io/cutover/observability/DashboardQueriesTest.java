package io.cutover.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.testing.Promtool;
import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard's queries and the chart's alert rules as Prometheus reads them: every PromQL expression parsed
 * by {@code promtool}, and every metric they name exported by this router (its {@code /q/metrics} scraped here).
 * {@code /q/metrics}' own families pass {@code promtool check metrics}.
 */
@QuarkusTest
class DashboardQueriesTest extends ProxyTestBase {

    static final Path DASHBOARD = Path.of("helm", "cutover", "dashboards", "cutover.json");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}?");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");

    @TempDir
    Path dir;

    /** Every PromQL expression of the dashboard (panels' targets, and the inner selector of label_values variables). */
    static List<String> dashboardExpressions() throws IOException {
        List<String> out = new ArrayList<>();
        collect(new ObjectMapper().readTree(DASHBOARD.toFile()), out);
        return out.stream().distinct().toList();
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                    out.add(e.getValue().asText());
                } else if ((e.getKey().equals("query") || e.getKey().equals("definition")) && e.getValue().isTextual()) {
                    Matcher m = LABEL_VALUES.matcher(e.getValue().asText());
                    if (m.matches()) {
                        out.add(m.group(1));
                    }
                }
                collect(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    /** Grafana's variables replaced by what Grafana would put there (durations for its interval variables). */
    static String substituted(String expr) {
        return VARIABLE.matcher(expr).replaceAll(m -> switch (m.group(1)) {
            case "__rate_interval", "__interval", "__range" -> "5m";
            case "__interval_ms", "__range_ms" -> "300000";
            case "__range_s" -> "300";
            default -> "x";
        });
    }

    /** The metric names an expression reads: identifiers outside label matchers, strings, ranges and grouping lists. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "{}")
                .replaceAll("\\[[^]]*]", "[]")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int after = m.end();
            while (after < s.length() && Character.isWhitespace(s.charAt(after))) {
                after++;
            }
            boolean call = after < s.length() && s.charAt(after) == '(';
            boolean number = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            if (!call && !number && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                names.add(id);
            }
        }
        return names;
    }

    /** The metric names of the alert rules the chart renders. */
    private static List<String> ruleExpressions() {
        List<String> out = new ArrayList<>();
        io.cutover.helm.ChartRender.render("prometheusRule.enabled=true").stream()
                .filter(d -> d.path("kind").asText().equals("PrometheusRule"))
                .forEach(d -> d.at("/spec/groups").forEach(g -> g.get("rules").forEach(r -> out.add(r.get("expr").asText()))));
        return out;
    }

    /**
     * The names of the samples this router exports (a histogram's _bucket, _sum and _count included): those of its
     * {@code /q/metrics}, and, for a meter that appears only once something happened (a tenant's shadow read, a
     * notification), the Prometheus names of {@link MetricNames}' constants.
     */
    private Set<String> exported() throws IllegalAccessException {
        given().get("/api/devices/d-scraped").then().statusCode(200);   // the request path's meters exist from the start
        String text = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> names = new TreeSet<>();
        text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        for (java.lang.reflect.Field f : MetricNames.class.getFields()) {
            if (f.getType() == String.class && f.get(null) instanceof String n && n.startsWith("cutover.")) {
                String base = n.replace('.', '_');
                for (String suffix : List.of("", "_total", "_seconds", "_seconds_bucket", "_seconds_count", "_seconds_sum",
                        "_seconds_max", "_bucket", "_count", "_sum", "_max")) {
                    names.add(base + suffix);
                }
            }
        }
        return names;
    }

    @Test
    void shouldNameOnlyMetricsTheRouterExports() throws Exception {
        Set<String> exported = exported();
        assertThat(exported).as("a misspelt name is not taken for an exported one")
                .contains("cutover_requests_total", "cutover_backend_latency_seconds_bucket").doesNotContain("cutover_request_total");
        List<String> missing = new ArrayList<>();
        for (String expr : dashboardExpressions()) {
            metricNames(expr).stream().filter(n -> !exported.contains(n)).forEach(n -> missing.add("dashboard: " + n + " in " + expr));
        }
        for (String expr : ruleExpressions()) {
            metricNames(expr).stream().filter(n -> !exported.contains(n)).forEach(n -> missing.add("alert rule: " + n + " in " + expr));
        }
        assertThat(dashboardExpressions()).isNotEmpty();
        assertThat(missing).as("metrics named but not exported (exported: %s)", exported).isEmpty();
    }

    @Test
    void shouldFindTheMetricNamesOfAnExpression() {
        assertThat(metricNames("sum by (backend, le) (rate(cutover_backend_latency_seconds_bucket{namespace=\"x\",service=~\".*\"}[5m]))"
                + " / on (backend) group_left max(cutover_typo_total) > bool 0.5 and up offset 5m"))
                .containsExactlyInAnyOrder("cutover_backend_latency_seconds_bucket", "cutover_typo_total", "up");
    }

    @Test
    void shouldParseEveryDashboardExpressionWithPromtool() throws Exception {
        Promtool.assumeInstalled();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String expr : dashboardExpressions()) {
            rules.append("      - record: dashboard:expression_").append(i++).append('\n')
                    .append("        expr: ").append(new ObjectMapper().writeValueAsString(substituted(expr))).append('\n');
        }
        Files.writeString(dir.resolve("dashboard.yml"), rules);

        Promtool.Result r = Promtool.run(dir, "check", "rules", "dashboard.yml");

        assertThat(r.exit()).as(r.output() + "\n" + rules).isZero();
        assertThat(r.output()).contains("SUCCESS: " + i + " rules found");
    }

    @Test
    void shouldExportMetricsThatPassPromtoolCheckMetrics() throws Exception {
        Promtool.assumeInstalled();
        given().get("/api/devices/d-checked").then().statusCode(200);
        // the Prometheus text format, which promtool check metrics reads (without an Accept header: OpenMetrics)
        String text = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        StringBuilder ours = new StringBuilder();
        text.lines().filter(l -> l.startsWith("cutover_") || l.startsWith("# HELP cutover_") || l.startsWith("# TYPE cutover_"))
                .forEach(l -> ours.append(l).append('\n'));
        Files.writeString(dir.resolve("metrics.txt"), ours);

        Promtool.Result r = Promtool.run(dir, dir.resolve("metrics.txt"), "check", "metrics");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(ours.toString()).contains("cutover_access_log_dropped_total");
    }
}
