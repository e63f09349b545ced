package io.cutover.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cutover.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules the chart renders, as Prometheus reads them: {@code promtool check rules} on the rendered
 * PrometheusRule, and {@code promtool test rules} with, for every alert, series that fire it and series that do not.
 * A new alert in the chart fails this test until it gets its two cases here.
 */
class AlertRulesTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    /**
     * Per alert: the series that fire it, the series that leave it quiet, and the labels (beyond the release's
     * namespace and service, and severity) the alert carries. {@code {L}} stands for the release's selector labels.
     */
    private record Case(String firing, String quiet, Map<String, String> labels) {
    }

    private static final Map<String, Case> CASES = Map.of(
            "CutoverRollbackLatched", new Case("""
                    - series: 'cutover_rollback_latched{L}'
                      values: '1x150'""", """
                    - series: 'cutover_rollback_latched{L}'
                      values: '0x150'""", Map.of()),
            "CutoverOutboxLagging", new Case("""
                    - series: 'cutover_outbox_oldest_pending_age_seconds{L}'
                      values: '100000x150'""", """
                    - series: 'cutover_outbox_oldest_pending_age_seconds{L}'
                      values: '2x150'""", Map.of()),
            "CutoverOutboxLag", new Case("""
                    - series: 'cutover_outbox_lag_seconds{L,target="v2"}'
                      values: '100000x150'""", """
                    - series: 'cutover_outbox_lag_seconds{L,target="v2"}'
                      values: '1x150'""", Map.of("target", "v2")),
            // the write path cannot reach the router's own database on one pod; quiet: it can
            "CutoverRouterDatabaseDown", new Case("""
                    - series: 'cutover_outbox_database_up{L,pod="cutover-0"}'
                      values: '0x150'""", """
                    - series: 'cutover_outbox_database_up{L,pod="cutover-0"}'
                      values: '1x150'""", Map.of("pod", "cutover-0")),
            "CutoverBreakerOpen", new Case("""
                    - series: 'cutover_breaker_state{L,backend="v2",state="open"}'
                      values: '1x150'
                    - series: 'cutover_breaker_state{L,backend="v2",state="closed"}'
                      values: '0x150'""", """
                    - series: 'cutover_breaker_state{L,backend="v2",state="open"}'
                      values: '0x150'
                    - series: 'cutover_breaker_state{L,backend="v2",state="closed"}'
                      values: '1x150'""", Map.of("backend", "v2")),
            // half of V2's requests fail with 5xx while V1 answers everything; quiet: V2 answers everything too
            "CutoverV2ErrorRate", new Case("""
                    - series: 'cutover_requests_total{L,route="devices",backend="v2",outcome="success"}'
                      values: '0+600x150'
                    - series: 'cutover_requests_total{L,route="devices",backend="v2",outcome="server-error"}'
                      values: '0+600x150'
                    - series: 'cutover_requests_total{L,route="devices",backend="v1",outcome="success"}'
                      values: '0+600x150'
                    - series: 'cutover_requests_total{L,route="devices",backend="v1",outcome="server-error"}'
                      values: '0x150'""", """
                    - series: 'cutover_requests_total{L,route="devices",backend="v2",outcome="success"}'
                      values: '0+600x150'
                    - series: 'cutover_requests_total{L,route="devices",backend="v2",outcome="server-error"}'
                      values: '0x150'
                    - series: 'cutover_requests_total{L,route="devices",backend="v1",outcome="success"}'
                      values: '0+600x150'
                    - series: 'cutover_requests_total{L,route="devices",backend="v1",outcome="server-error"}'
                      values: '0x150'""", Map.of()),
            "CutoverProgressionGateWaiting", new Case("""
                    - series: 'cutover_progression_state{L,state="waiting-gate"}'
                      values: '1x150'
                    - series: 'cutover_progression_state_age_seconds{L}'
                      values: '100000+60x150'""", """
                    - series: 'cutover_progression_state{L,state="waiting-gate"}'
                      values: '0x150'
                    - series: 'cutover_progression_state_age_seconds{L}'
                      values: '100000+60x150'""", Map.of()),
            "CutoverProgressionAborted", new Case("""
                    - series: 'cutover_progression_state{L,state="aborted"}'
                      values: '1x150'""", """
                    - series: 'cutover_progression_state{L,state="aborted"}'
                      values: '0x150'""", Map.of()),
            // blind for long while V2 takes traffic; quiet: as blind, but V2's weight is 0 (nothing to judge)
            "CutoverRollbackGuardBlind", new Case("""
                    - series: 'cutover_rollback_blind_seconds{L}'
                      values: '100000+60x150'
                    - series: 'cutover_traffic_v2_weight{L}'
                      values: '10x150'""", """
                    - series: 'cutover_rollback_blind_seconds{L}'
                      values: '100000+60x150'
                    - series: 'cutover_traffic_v2_weight{L}'
                      values: '0x150'""", Map.of()));

    @TempDir
    Path dir;

    private static JsonNode ruleResource(List<JsonNode> docs) {
        return docs.stream().filter(d -> d.path("kind").asText().equals("PrometheusRule")).findFirst().orElseThrow();
    }

    @Test
    void shouldPassPromtoolCheckRules() throws Exception {
        Promtool.assumeInstalled();
        Files.writeString(dir.resolve("rules.yml"), YAML.writeValueAsString(ruleResource(HelmChartTest.render(
                "prometheusRule.enabled=true")).get("spec")));

        Promtool.Result r = Promtool.run(dir, "check", "rules", "rules.yml");

        assertThat(r.exit()).as(r.output()).isZero();
    }

    @Test
    void shouldFireEachAlertOnItsSeriesAndOnlyThen() throws Exception {
        Promtool.assumeInstalled();
        List<JsonNode> docs = HelmChartTest.render("prometheusRule.enabled=true", "serviceMonitor.enabled=true");
        JsonNode spec = ruleResource(docs).get("spec").deepCopy();
        String service = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().orElseThrow()
                .at("/metadata/name").asText();
        List<String> alerts = new ArrayList<>();
        Duration longestFor = Duration.ZERO;
        for (JsonNode group : spec.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                ((ObjectNode) rule).remove("annotations");   // their templates are checked by check rules
                if (rule.has("alert")) {
                    alerts.add(rule.get("alert").asText());
                    Duration f = promDuration(rule.path("for").asText("0s"));
                    longestFor = f.compareTo(longestFor) > 0 ? f : longestFor;
                }
            }
        }
        assertThat(CASES.keySet()).as("a firing and a quiet case for every alert the chart renders")
                .containsExactlyInAnyOrderElementsOf(alerts);
        Files.writeString(dir.resolve("rules.yml"), YAML.writeValueAsString(spec));

        String labels = "namespace=\"" + HelmChartTest.NAMESPACE + "\",service=\"" + service + "\"";
        long evalMinutes = longestFor.toMinutes() + 30;
        assertThat(evalMinutes).as("the series last 150 minutes").isLessThan(150);
        StringBuilder tests = new StringBuilder("rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n");
        Map<String, String> severities = severities(spec);
        for (String alert : alerts) {
            Case c = CASES.get(alert);
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("severity", severities.get(alert));
            expected.put("namespace", HelmChartTest.NAMESPACE);
            expected.put("service", service);
            expected.putAll(c.labels());
            tests.append(testCase(alert, c.firing(), labels, evalMinutes, expected));
            tests.append(testCase(alert, c.quiet(), labels, evalMinutes, null));
        }
        Files.writeString(dir.resolve("tests.yml"), tests);

        Promtool.Result r = Promtool.run(dir, "test", "rules", "tests.yml");

        assertThat(r.exit()).as(r.output() + "\n" + tests).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    private static Map<String, String> severities(JsonNode spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : spec.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("alert")) {
                    out.put(rule.get("alert").asText(), rule.at("/labels/severity").asText());
                }
            }
        }
        return out;
    }

    private static String testCase(String alert, String series, String labels, long evalMinutes, Map<String, String> fires) {
        StringBuilder t = new StringBuilder("  - interval: 1m\n    input_series:\n");
        series.replace("{L", "{" + labels).lines().forEach(l -> t.append("      ").append(l).append('\n'));
        t.append("    alert_rule_test:\n      - eval_time: ").append(evalMinutes).append("m\n        alertname: ")
                .append(alert).append('\n');
        if (fires == null) {
            t.append("        exp_alerts: []\n");
        } else {
            t.append("        exp_alerts:\n          - exp_labels:\n");
            fires.forEach((k, v) -> t.append("              ").append(k).append(": \"").append(v).append("\"\n"));
        }
        return t.toString();
    }

    /** A Prometheus duration such as {@code 90s}, {@code 5m}, {@code 1h30m}. */
    static Duration promDuration(String s) {
        Duration d = Duration.ZERO;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(s);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return d;
    }
}
