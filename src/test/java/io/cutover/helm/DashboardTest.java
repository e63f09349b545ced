package io.cutover.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.resilience.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The chart's error-rate alert and the dashboard's error panel count what the rollback guard counts, and the dashboard
 * holds to Grafana's dashboard schema. Plain JUnit, no cluster, no Grafana.
 */
class DashboardTest {

    private static final Path DASHBOARD = HelmChartTest.CHART.resolve("dashboards").resolve("cutover.json");
    private static final Pattern OUTCOME = Pattern.compile("outcome(!~|=~|!=|=)\"([^\"]*)\"");
    private static final Set<String> VARIABLE_TYPES = Set.of("query", "adhoc", "constant", "datasource", "interval",
            "textbox", "custom", "system");

    @Test
    void shouldAlertOnTheV2ErrorRateTheRollbackGuardCounts() {
        JsonNode rules = HelmChartTest.render("prometheusRule.enabled=true").stream()
                .filter(d -> d.path("kind").asText().equals("PrometheusRule")).findFirst().orElseThrow();
        JsonNode rule = StreamSupport.stream(rules.at("/spec/groups").spliterator(), false)
                .flatMap(g -> StreamSupport.stream(g.path("rules").spliterator(), false))
                .filter(r -> r.path("alert").asText().equals("CutoverV2ErrorRate")).findFirst().orElseThrow();
        assertCountsWhatTheGuardCounts(rule.path("expr").asText());
    }

    @Test
    void shouldShowOnTheErrorPanelTheRateTheRollbackGuardCounts() throws IOException {
        JsonNode panel = StreamSupport.stream(dashboard().path("panels").spliterator(), false)
                .filter(p -> p.path("title").asText().equals("Error rate by backend")).findFirst().orElseThrow();
        assertCountsWhatTheGuardCounts(panel.at("/targets/0/expr").asText());
    }

    /**
     * A failure is what {@link Outcome#isFailure()} says, and an open breaker (the guard counts it while the calls that
     * opened it are in its window); a request is anything but a client that left, which the guard does not count at all.
     * A 404 is a request V2 answered, not a failure: 404s alone never page.
     */
    private static void assertCountsWhatTheGuardCounts(String expr) {
        String[] sides = expr.split("\n\\s*/\\s*\n|\\)\\s*/\\s*(?=sum)");
        assertThat(sides).as(expr).hasSize(2);
        for (Outcome o : Outcome.values()) {
            assertThat(counts(sides[0], o.tag())).as("failure: " + o + " in " + sides[0])
                    .isEqualTo(o.isFailure() || o == Outcome.BREAKER_OPEN);
            assertThat(counts(sides[1], o.tag())).as("request: " + o + " in " + sides[1])
                    .isEqualTo(o != Outcome.CLIENT_ABORTED);
        }
    }

    /** Whether the selector's outcome matchers (Prometheus regexes are anchored) let a series of this outcome through. */
    private static boolean counts(String selector, String tag) {
        Matcher m = OUTCOME.matcher(selector);
        boolean counted = true;
        while (m.find()) {
            String op = m.group(1);
            String value = m.group(2);
            boolean match = op.endsWith("~") ? tag.matches(value) : tag.equals(value);
            counted &= op.startsWith("!") != match;
        }
        return counted;
    }

    /**
     * The rules of Grafana's dashboard JSON schema (grafana-foundation-sdk, {@code jsonschema/dashboard.jsonschema.json})
     * that a hand-written dashboard breaks, checked here without the schema file: the required top-level fields, the
     * annotation list, and each variable's type, {@code current} option and {@code query}.
     */
    @Test
    void shouldHoldToGrafanasDashboardSchema() throws IOException {
        JsonNode d = dashboard();
        assertThat(fieldNames(d)).contains("schemaVersion", "templating", "annotations");
        assertThat(d.path("schemaVersion").isInt()).isTrue();
        for (JsonNode a : d.at("/annotations/list")) {
            assertThat(fieldNames(a)).as(a.toString()).contains("name", "datasource", "enable", "iconColor");
            assertThat(a.path("enable").isBoolean()).isTrue();
        }
        JsonNode variables = d.at("/templating/list");
        assertThat(variables.isArray()).isTrue();
        for (JsonNode v : variables) {
            String name = v.path("name").asText();
            assertThat(v.path("name").isTextual()).isTrue();
            assertThat(VARIABLE_TYPES).as(name).contains(v.path("type").asText());
            if (v.has("current")) {
                assertThat(isOption(v.path("current"))).as(name + ".current: " + v.path("current")).isTrue();
            }
            for (JsonNode o : v.path("options")) {
                assertThat(isOption(o)).as(name + ".options: " + o).isTrue();
            }
            if (v.has("query")) {
                JsonNode q = v.path("query");
                boolean objectOfObjects = q.isObject()
                        && StreamSupport.stream(q.spliterator(), false).allMatch(JsonNode::isObject);
                assertThat(q.isTextual() || objectOfObjects).as(name + ".query: " + q).isTrue();
            }
        }
        for (JsonNode p : d.path("panels")) {
            assertThat(p.path("type").asText()).as(p.path("title").asText()).isNotEmpty();
            for (String edge : List.of("h", "w", "x", "y")) {
                assertThat(p.at("/gridPos/" + edge).isInt()).as(p.path("title").asText() + " gridPos." + edge).isTrue();
            }
        }
    }

    /** A variable option: {@code text} and {@code value}, each a string or a list of strings. */
    private static boolean isOption(JsonNode o) {
        return o.isObject() && isStrings(o.get("text")) && isStrings(o.get("value"));
    }

    private static boolean isStrings(JsonNode n) {
        return n != null && (n.isTextual() || n.isArray() && StreamSupport.stream(n.spliterator(), false)
                .allMatch(JsonNode::isTextual));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }
}
