package io.cutover.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cutover.policy.PolicyParser;
import io.cutover.policy.TrafficPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The chart's progression, testers, override header, webhook Secret and progression alerts (plain JUnit, helm-java). */
class HelmProgressionTest {

    private static JsonNode router(List<JsonNode> docs) {
        JsonNode d = docs.stream().filter(x -> x.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        return d.at("/spec/template/spec/containers/0");
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.get("env")) {
            if (e.get("name").asText().equals(name)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void shouldRenderAProgressionPolicyTheRouterAccepts() throws Exception {
        TrafficPolicy p = new PolicyParser().parse(HelmChartTest.renderedPolicyYaml(
                "traffic.progression.steps[0]=1", "traffic.progression.steps[1]=5",
                "traffic.progression.steps[2]=25", "traffic.progression.steps[3]=50", "traffic.progression.steps[4]=100", "traffic.progression.interval=10m",
                "traffic.progression.gates.50=manual", "traffic.testers[0]=qa", "traffic.v2Weight=25"), "progression values");
        assertThat(p.progression().steps()).containsExactly(1.0, 5.0, 25.0, 50.0, 100.0);
        assertThat(p.progression().interval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.progression().gates()).isEqualTo(Set.of(50.0));
        assertThat(p.testers()).containsExactly("qa");
    }

    @Test
    void shouldRefuseAProgressionTheSchemaDoesNotKnow() {
        assertThatThrownBy(() -> HelmChartTest.render("traffic.progression.step[0]=1")).hasMessageContaining("step");
        assertThatThrownBy(() -> HelmChartTest.render("traffic.progression.gates.50=auto")).hasMessageContaining("50");
    }

    @Test
    void shouldTakeTheWebhookUrlFromASecretAndSetTheOverrideHeader() {
        List<JsonNode> docs = HelmChartTest.render("notify.webhookSecret=cutover-slack", "routing.overrideHeader=X-Cutover-Route");
        JsonNode c = router(docs);
        assertThat(env(c, "CUTOVER_NOTIFY_WEBHOOK_URL").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("cutover-slack");
        assertThat(env(c, "CUTOVER_NOTIFY_WEBHOOK_URL").at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("url");
        assertThat(env(c, "CUTOVER_ROUTING_OVERRIDE_HEADER").get("value").asText()).isEqualTo("X-Cutover-Route");
        JsonNode none = router(HelmChartTest.render());
        assertThat(env(none, "CUTOVER_NOTIFY_WEBHOOK_URL")).isNull();
        assertThat(env(none, "CUTOVER_ROUTING_OVERRIDE_HEADER")).isNull();
    }

    @Test
    void shouldAlertOnAGateWaitingOverAnHourAndOnAnAbort() {
        JsonNode rule = HelmChartTest.render("prometheusRule.enabled=true").stream()
                .filter(d -> d.path("kind").asText().equals("PrometheusRule")).findFirst().orElseThrow();
        String rules = rule.at("/spec/groups/0/rules").toString();
        assertThat(rules).contains("CutoverProgressionGateWaiting").contains("state=\\\"waiting-gate\\\"")
                .contains("cutover_progression_state_age_seconds").contains("> 3600")
                .contains("CutoverProgressionAborted").contains("state=\\\"aborted\\\"");
    }
}
