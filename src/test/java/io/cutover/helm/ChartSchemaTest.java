package io.cutover.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Every object the chart renders, with its defaults and with every optional object switched on, checked against the
 * strict JSON schemas of Kubernetes and the prometheus-operator (src/test/resources/k8s-schemas: an unknown or
 * misplaced field is an error, as {@code kubectl apply --validate=strict} makes it). Plain JUnit, no cluster.
 */
class ChartSchemaTest {

    private static final Path SCHEMAS = Path.of("src", "test", "resources", "k8s-schemas");
    /** apiVersion/kind to its schema; an object of a kind not listed fails the test (add its schema). */
    private static final Map<String, String> SCHEMA_OF = Map.of(
            "apps/v1/Deployment", "apps/deployment_v1.json",
            "v1/Service", "core.api.k8s.io/service_v1.json",
            "v1/ConfigMap", "core.api.k8s.io/configmap_v1.json",
            "v1/ServiceAccount", "core.api.k8s.io/serviceaccount_v1.json",
            "v1/Secret", "core.api.k8s.io/secret_v1.json",
            "autoscaling/v2/HorizontalPodAutoscaler", "autoscaling/horizontalpodautoscaler_v2.json",
            "policy/v1/PodDisruptionBudget", "policy/poddisruptionbudget_v1.json",
            "batch/v1/Job", "batch/job_v1.json",
            "monitoring.coreos.com/v1/PrometheusRule", "monitoring.coreos.com/prometheusrule_v1.json",
            "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/servicemonitor_v1.json");

    /** Every optional object and every optional part of the router's pod switched on. */
    static final String[] EVERYTHING_ON = {
        "autoscaling.enabled=true", "autoscaling.targetMemoryUtilizationPercentage=80",
        "podDisruptionBudget.maxUnavailable=1",
        "serviceMonitor.enabled=true", "serviceMonitor.labels.release=prometheus",
        "prometheusRule.enabled=true", "prometheusRule.labels.release=prometheus", "prometheusRule.alertLabels.team=platform",
        "grafanaDashboard.enabled=true",
        "migration.backfill.enabled=true", "migration.verify.enabled=true",
        "migration.v1Database.existingSecret=v1-db", "migration.v2Database.existingSecret=v2-db",
        "migration.backfill.activeDeadlineSeconds=3600",
        "admin.existingSecret=cutover-admin", "tenant.apiKeysSecret=cutover-api-keys", "notify.webhookSecret=cutover-hook",
        "database.existingSecret=cutover-db", "imagePullSecrets[0].name=registry",
        "serviceAccount.annotations.team=platform", "podAnnotations.team=platform", "podLabels.team=platform",
        "priorityClassName=high", "nodeSelector.disk=ssd",
        "routing.overrideHeader=X-Cutover-Route",
        "extraEnv[0].name=CUTOVER_SOMETHING", "extraEnv[0].value=on",
        "observability.accessLog.tenant=hash", "observability.tracing.otlpEndpoint=http://otel-collector:4318",
        "observability.tracing.otlpProtocol=http/protobuf",
    };

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private List<String> violations(JsonNode doc) {
        String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
        String file = SCHEMA_OF.get(key);
        if (file == null) {
            return List.of(key + ": no schema for this kind in " + SCHEMAS);
        }
        JsonSchema schema = schemas.computeIfAbsent(file,
                f -> factory.getSchema(SchemaLocation.of(SCHEMAS.resolve(f).toAbsolutePath().toUri().toString())));
        Set<ValidationMessage> errors = schema.validate(doc);
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : errors) {
            out.add(key + " " + doc.path("metadata").path("name").asText() + ": " + m.getMessage());
        }
        return out;
    }

    private void assertValid(List<JsonNode> docs) {
        List<String> all = new ArrayList<>();
        docs.forEach(d -> all.addAll(violations(d)));
        assertThat(all).as("schema violations").isEmpty();
    }

    @Test
    void shouldRenderOnlyValidObjectsWithDefaultValues() {
        assertValid(HelmChartTest.render());
    }

    @Test
    void shouldRenderOnlyValidObjectsWithEveryOptionalObjectOn() {
        List<JsonNode> docs = HelmChartTest.render(EVERYTHING_ON);

        assertThat(docs.stream().map(d -> d.path("kind").asText()).distinct())
                .contains("Deployment", "Service", "ConfigMap", "ServiceAccount", "HorizontalPodAutoscaler",
                        "PodDisruptionBudget", "Job", "PrometheusRule", "ServiceMonitor");
        assertValid(docs);
    }

    @Test
    void shouldRejectAnUnknownField() {
        JsonNode deployment = HelmChartTest.render().stream().filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst().orElseThrow();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("livenessprobe", "misspelt");
        ((ObjectNode) deployment.at("/spec")).put("replicas", "two");

        assertThat(violations(deployment)).anyMatch(v -> v.contains("livenessprobe")).anyMatch(v -> v.contains("replicas"));
    }
}
