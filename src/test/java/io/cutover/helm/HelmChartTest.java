package io.cutover.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Lints and renders the Helm chart in {@code helm/cutover} with an embedded Helm (helm-java), no
 * cluster and no helm binary needed. Plain JUnit: no Quarkus application is started.
 */
class HelmChartTest {

    static final Path CHART = Path.of("helm", "cutover");
    static final String RELEASE = "cutover-test";
    static final String NAMESPACE = "iot";
    static final String POLICY_CONFIG_MAP = RELEASE + "-policy";

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void shouldRenderAPolicyTheRouterAccepts() throws Exception {
        io.cutover.policy.PolicyParser parser = new io.cutover.policy.PolicyParser();
        io.cutover.policy.TrafficPolicy defaults = parser.parse(renderedPolicyYaml(), "default values");
        assertThat(defaults.v2Weight()).isBetween(0.0, 100.0);
        io.cutover.policy.TrafficPolicy custom = parser.parse(renderedPolicyYaml(
                "traffic.v2Weight=12.5", "traffic.stickyBy=header:X-User", "traffic.tenants.acme=v2",
                "traffic.rollback.window=90s"), "custom values");
        assertThat(custom.v2Weight()).isEqualTo(12.5);
        assertThat(custom.stickyBy().toString()).isEqualTo("header:X-User");
        assertThat(custom.pins()).containsEntry("acme", io.cutover.routing.Backend.V2);
        assertThat(custom.rollback().window()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(defaults.rollback().confidence()).isEqualTo(0.9999);
        assertThat(defaults.rollback().horizon()).isEqualTo(java.time.Duration.ofMinutes(10));
        io.cutover.policy.TrafficPolicy guard = parser.parse(renderedPolicyYaml("traffic.rollback.confidence=0.999",
                "traffic.rollback.promoteConfidence=0.9", "traffic.rollback.horizon=5m",
                "traffic.rollback.latencyMargin=0.02"), "guard values");
        assertThat(guard.rollback().confidence()).isEqualTo(0.999);
        assertThat(guard.rollback().promoteConfidence()).isEqualTo(0.9);
        assertThat(guard.rollback().horizon()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(guard.rollback().latencyMargin()).isEqualTo(0.02);
    }

    @Test
    void shouldRenderAForcedPinTheRouterAccepts() throws Exception {
        io.cutover.policy.TrafficPolicy p = new io.cutover.policy.PolicyParser().parse(renderedPolicyYaml(
                "traffic.tenants.acme.backend=v2", "traffic.tenants.acme.force=true", "traffic.tenants.beta=v2"), "forced pin");
        assertThat(p.pins()).containsEntry("acme", io.cutover.routing.Backend.V2).containsEntry("beta", io.cutover.routing.Backend.V2);
        assertThat(p.forcedPins()).containsExactly("acme");
        assertThatThrownBy(() -> render("traffic.tenants.acme.backend=v3")).hasMessageContaining("acme");
        assertThatThrownBy(() -> render("traffic.tenants.acme.force=true")).hasMessageContaining("acme");
        assertThatThrownBy(() -> render("traffic.tenants.acme.backend=v2", "traffic.tenants.acme.forced=true"))
                .hasMessageContaining("acme");
    }

    @Test
    void shouldPassStrictLint() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void shouldRenderTheRouterWithDefaultValues() {
        List<JsonNode> docs = render();

        assertThat(kinds(docs)).contains("Deployment", "Service", "ConfigMap", "PodDisruptionBudget")
                .doesNotContain("HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule", "Job");
        JsonNode policy = policy(renderedPolicyYaml());
        assertThat(policy.get("v2Weight").asDouble()).isZero();
        assertThat(policy.get("stickyBy").asText()).isEqualTo("tenant");
        assertThat(policy.get("tenants").isObject()).isTrue();
        assertThat(policy.get("tenants").size()).isZero();
    }

    @Test
    void shouldRenderOnlyThePolicyKeysTheRouterAccepts() {
        JsonNode policy = policy(renderedPolicyYaml());

        assertThat(fieldNames(policy)).containsExactlyInAnyOrder(
                "v2Weight", "stickyBy", "stickySalt", "tenants", "dualWrite", "shadowReads", "rollback");
        assertThat(fieldNames(policy.get("rollback"))).containsExactlyInAnyOrder(
                "errorRate", "minRequests", "window", "p99LatencyMs", "confidence", "promoteConfidence", "horizon",
                "latencyMargin");
    }

    @Test
    void shouldRenderTrafficValuesIntoThePolicyFile() {
        JsonNode policy = policy(renderedPolicyYaml(
                "traffic.v2Weight=25",
                "traffic.tenants.acme=v2",
                "traffic.tenants.fragile=v1",
                "traffic.stickyBy=header:X-Device-Id",
                "traffic.shadowReads=0.1",
                "traffic.rollback.errorRate=0.02",
                "traffic.rollback.window=2m"));

        assertThat(policy.get("v2Weight").isNumber()).isTrue();
        assertThat(policy.get("v2Weight").asInt()).isEqualTo(25);
        assertThat(policy.get("tenants").get("acme").asText()).isEqualTo("v2");
        assertThat(policy.get("tenants").get("fragile").asText()).isEqualTo("v1");
        assertThat(policy.get("stickyBy").asText()).isEqualTo("header:X-Device-Id");
        assertThat(policy.get("shadowReads").isNumber()).isTrue();
        assertThat(policy.get("shadowReads").asDouble()).isEqualTo(0.1);
        assertThat(policy.get("rollback").get("errorRate").asDouble()).isEqualTo(0.02);
        assertThat(policy.get("rollback").get("window").asText()).isEqualTo("2m");
        assertThat(policy.get("rollback").get("minRequests").isIntegralNumber()).isTrue();
    }

    @Test
    void shouldRenderADecimalWeightAsANumber() {
        JsonNode policy = policy(renderedPolicyYaml("traffic.v2Weight=12.5"));

        assertThat(policy.get("v2Weight").isNumber()).isTrue();
        assertThat(policy.get("v2Weight").asDouble()).isEqualTo(12.5);
    }

    @Test
    void shouldPointTheRouterAtThePolicyMountedAsADirectory() {
        JsonNode container = routerContainer(render());

        assertThat(env(container, "CUTOVER_TRAFFIC_FILE")).isEqualTo("/etc/cutover/policy/policy.yaml");
        JsonNode mount = find(container.get("volumeMounts"), m -> m.get("name").asText().equals("policy"))
                .orElseThrow();
        assertThat(mount.get("mountPath").asText()).isEqualTo("/etc/cutover/policy");
        assertThat(mount.has("subPath")).as("subPath mounts never see ConfigMap updates").isFalse();
    }

    @Test
    void shouldNotRestartPodsWhenThePolicyChanges() {
        JsonNode deploymentAt10 = deployment(render("traffic.v2Weight=10"));
        JsonNode deploymentAt25 = deployment(render("traffic.v2Weight=25", "traffic.tenants.acme=v2"));

        JsonNode annotations = deploymentAt25.at("/spec/template/metadata/annotations");
        if (!annotations.isMissingNode()) {
            assertThat(fieldNames(annotations)).noneMatch(name -> name.startsWith("checksum/"));
        }
        assertThat(deploymentAt25.at("/spec/template")).isEqualTo(deploymentAt10.at("/spec/template"));
    }

    @Test
    void shouldRunAsNonRootWithAReadOnlyRootFilesystem() {
        JsonNode deployment = deployment(render());
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = routerContainer(List.of(deployment));
        JsonNode securityContext = container.get("securityContext");

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(185);
        assertThat(securityContext.get("runAsNonRoot").asBoolean()).isTrue();
        assertThat(securityContext.get("runAsUser").asInt()).isEqualTo(185);
        assertThat(securityContext.get("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(securityContext.get("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(securityContext.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(securityContext.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        JsonNode tmpMount = find(container.get("volumeMounts"), m -> m.get("mountPath").asText().equals("/tmp"))
                .orElseThrow();
        JsonNode tmpVolume = find(pod.get("volumes"), v -> v.get("name").equals(tmpMount.get("name")))
                .orElseThrow();
        assertThat(tmpVolume.has("emptyDir")).isTrue();
    }

    @Test
    void shouldProbeQuarkusHealthEndpoints() {
        JsonNode container = routerContainer(render());

        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    }

    @Test
    void shouldTakeSecretsByNameOnly() {
        JsonNode container = routerContainer(render(
                "admin.existingSecret=cutover-admin",
                "tenant.apiKeysSecret=cutover-api-keys",
                "database.host=pg",
                "database.existingSecret=cutover-db"));

        assertThat(secretRef(container, "CUTOVER_ADMIN_TOKEN")).isEqualTo("cutover-admin/token");
        assertThat(secretRef(container, "QUARKUS_DATASOURCE_PASSWORD")).isEqualTo("cutover-db/password");
        assertThat(env(container, "QUARKUS_DATASOURCE_JDBC_URL")).isEqualTo("jdbc:postgresql://pg:5432/cutover");
        assertThat(env(container, "QUARKUS_DATASOURCE_REACTIVE_URL")).isEqualTo("postgresql://pg:5432/cutover");
        assertThat(env(container, "CUTOVER_TENANT_API_KEYS_FILE")).isEqualTo("/etc/cutover/tenant/api-keys.yaml");
        assertThat(kinds(render("admin.existingSecret=cutover-admin"))).doesNotContain("Secret");
    }

    @Test
    void shouldPassTheSlowClientGuardsSettingsAndRefuseANonsenseOne() {
        assertThat(env(routerContainer(render()), "CUTOVER_EDGE_HEADER_TIMEOUT")).isEqualTo("10s");
        assertThat(env(routerContainer(render()), "CUTOVER_EDGE_MAX_HALF_OPEN")).isEqualTo("256");
        assertThat(env(routerContainer(render("edge.headerTimeout=0s", "edge.maxHalfOpen=1000")), "CUTOVER_EDGE_MAX_HALF_OPEN"))
                .isEqualTo("1000");
        assertThatThrownBy(() -> render("edge.maxHalfOpen=0")).hasMessageContaining("maxHalfOpen");
        assertThatThrownBy(() -> render("edge.headerTimeout=soon")).hasMessageContaining("headerTimeout");
    }

    @Test
    void shouldRejectUnknownApiKeysByDefaultOnlyWhenAnApiKeySecretIsSet() {
        assertThat(env(routerContainer(render()), "CUTOVER_TENANT_UNKNOWN_KEY")).isEqualTo("default");
        assertThat(env(routerContainer(render("tenant.apiKeysSecret=cutover-api-keys")), "CUTOVER_TENANT_UNKNOWN_KEY"))
                .isEqualTo("reject");
        assertThat(env(routerContainer(render("tenant.apiKeysSecret=cutover-api-keys", "tenant.unknownKey=default")),
                "CUTOVER_TENANT_UNKNOWN_KEY")).isEqualTo("default");
        assertThatThrownBy(() -> render("tenant.unknownKey=allow")).hasMessageContaining("unknownKey");
    }

    @Test
    void shouldRenderOptionalResourcesWhenEnabled() {
        List<JsonNode> docs = render(
                "autoscaling.enabled=true",
                "serviceMonitor.enabled=true",
                "prometheusRule.enabled=true",
                "grafanaDashboard.enabled=true");

        assertThat(kinds(docs)).contains("HorizontalPodAutoscaler", "ServiceMonitor", "PrometheusRule");
        JsonNode hpa = ofKind(docs, "HorizontalPodAutoscaler").get(0);
        assertThat(hpa.get("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(deployment(docs).at("/spec/replicas").isMissingNode())
                .as("the HPA owns the replica count").isTrue();
        String alerts = ofKind(docs, "PrometheusRule").get(0).toString();
        assertThat(alerts).contains("CutoverRollbackLatched", "CutoverOutboxLagging", "CutoverBreakerOpen",
                "CutoverV2ErrorRate", "CutoverRollbackGuardBlind");
        JsonNode dashboard = find(docs, d -> d.at("/metadata/labels/grafana_dashboard").asText().equals("1"))
                .orElseThrow();
        assertThat(dashboard.at("/data/cutover.json").asText()).contains("cutover_traffic_v2_weight");
    }

    @Test
    void shouldRunMigrationJobsWithTheDatabaseSecrets() {
        List<JsonNode> docs = render(
                "migration.backfill.enabled=true",
                "migration.verify.enabled=true",
                "migration.v1Database.existingSecret=v1-db",
                "migration.v2Database.existingSecret=v2-db");

        List<JsonNode> jobs = ofKind(docs, "Job");
        assertThat(jobs).hasSize(2);
        for (JsonNode job : jobs) {
            JsonNode container = job.at("/spec/template/spec/containers/0");
            assertThat(List.of("backfill", "verify")).contains(container.at("/args/0").asText());
            assertThat(secretRef(container, "CUTOVER_MIGRATION_V1_URL")).isEqualTo("v1-db/url");
            assertThat(secretRef(container, "CUTOVER_MIGRATION_V2_PASSWORD")).isEqualTo("v2-db/password");
            assertThat(job.at("/metadata/annotations/helm.sh~1hook").isMissingNode()).isTrue();
            assertThat(find(container.get("env"), e -> e.get("name").asText().startsWith("CUTOVER_MIGRATION_RECORD_")))
                    .isEmpty();
        }
        for (JsonNode job : ofKind(render("migration.verify.enabled=true", "migration.v1Database.existingSecret=v1-db",
                "migration.v2Database.existingSecret=v2-db", "database.host=router-db",
                "database.existingSecret=cutover-db"), "Job")) {
            JsonNode container = job.at("/spec/template/spec/containers/0");
            assertThat(env(container, "CUTOVER_MIGRATION_RECORD_URL")).isEqualTo("postgresql://router-db:5432/cutover");
            assertThat(env(container, "CUTOVER_MIGRATION_RECORD_USERNAME")).isEqualTo("cutover");
            assertThat(secretRef(container, "CUTOVER_MIGRATION_RECORD_PASSWORD")).isEqualTo("cutover-db/password");
        }
        assertThatThrownBy(() -> render("migration.backfill.enabled=true"))
                .hasMessageContaining("migration.v1Database.existingSecret");
    }

    @Test
    void shouldRunAnIndexedJobOfNShardsWhenParallelismIsSet() {
        List<JsonNode> jobs = ofKind(render("migration.backfill.enabled=true", "migration.verify.enabled=true",
                "migration.backfill.parallelism=4", "migration.verify.parallelism=2",
                "migration.v1Database.existingSecret=v1-db", "migration.v2Database.existingSecret=v2-db"), "Job");

        JsonNode backfill = find(jobs, j -> j.at("/metadata/name").asText().contains("backfill")).orElseThrow();
        assertThat(backfill.at("/spec/completionMode").asText()).isEqualTo("Indexed");
        assertThat(backfill.at("/spec/completions").asInt()).isEqualTo(4);
        assertThat(backfill.at("/spec/parallelism").asInt()).as("all shards at once").isEqualTo(4);
        assertThat(backfill.at("/spec/backoffLimitPerIndex").asInt()).isEqualTo(3);
        assertThat(backfill.at("/spec/podFailurePolicy/rules/0/action").asText()).isEqualTo("FailIndex");
        assertThat(backfill.at("/spec/podFailurePolicy/rules/0/onExitCodes/values").toString()).isEqualTo("[3]");
        JsonNode container = backfill.at("/spec/template/spec/containers/0");
        assertThat(container.get("args").toString()).startsWith("[\"backfill\",\"--shard\",\"$(JOB_COMPLETION_INDEX)/4\"");
        assertThat(envVar(container, "JOB_COMPLETION_INDEX").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");

        JsonNode verify = find(jobs, j -> j.at("/metadata/name").asText().contains("verify")).orElseThrow();
        assertThat(verify.at("/spec/completions").asInt()).isEqualTo(2);
        assertThat(verify.at("/spec/template/spec/containers/0/args").toString())
                .startsWith("[\"verify\",\"--shard\",\"$(JOB_COMPLETION_INDEX)/2\"");
        assertThat(verify.at("/spec/podFailurePolicy/rules/0/onExitCodes/values").toString()).isEqualTo("[1,3]");
    }

    @Test
    void shouldRunOnePlainJobWithoutParallelismAndRefuseZeroPods() {
        JsonNode job = ofKind(render("migration.backfill.enabled=true", "migration.v1Database.existingSecret=v1-db",
                "migration.v2Database.existingSecret=v2-db"), "Job").get(0);

        assertThat(job.at("/spec/completionMode").isMissingNode()).isTrue();
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(3);
        assertThat(job.at("/spec/podFailurePolicy/rules/0/action").asText()).as("exit 3 is a result").isEqualTo("FailJob");
        assertThat(job.at("/spec/template/spec/containers/0/args").toString()).doesNotContain("--shard");
        assertThatThrownBy(() -> render("migration.backfill.parallelism=0")).hasMessageContaining("parallelism");
    }

    @Test
    void shouldRefuseAWeightOutside0To100() {
        assertThatThrownBy(() -> render("traffic.v2Weight=101")).hasMessageContaining("v2Weight");
        assertThatThrownBy(() -> render("traffic.v2Weight=-1")).hasMessageContaining("v2Weight");
        assertThatThrownBy(() -> render("traffic.v2Weight=100.5")).hasMessageContaining("v2Weight");
    }

    @Test
    void shouldRefuseValuesTheRouterWouldRefuse() {
        assertThatThrownBy(() -> render("traffic.shadowReads=1.5")).hasMessageContaining("shadowReads");
        assertThatThrownBy(() -> render("traffic.stickyBy=ip")).hasMessageContaining("stickyBy");
        assertThatThrownBy(() -> render("traffic.tenants.acme=v3")).hasMessageContaining("acme");
        assertThatThrownBy(() -> render("traffic.rollback.errorRate=2")).hasMessageContaining("errorRate");
        assertThatThrownBy(() -> render("traffic.rollback.minRequests=0")).hasMessageContaining("minRequests");
        assertThatThrownBy(() -> render("traffic.rollback.window=soon")).hasMessageContaining("window");
        assertThatThrownBy(() -> render("traffic.rollback.confidence=1")).hasMessageContaining("confidence");
        assertThatThrownBy(() -> render("traffic.rollback.horizon=soon")).hasMessageContaining("horizon");
        assertThatThrownBy(() -> render("traffic.unknownKey=1")).hasMessageContaining("unknownKey");
        assertThatThrownBy(() -> render("trafic.v2Weight=25")).hasMessageContaining("trafic");
    }

    /**
     * The policy.yaml that the chart renders into the policy ConfigMap, as the router will read it.
     *
     * @param sets Helm {@code --set} expressions, like {@code "traffic.v2Weight=25"}
     */
    static String renderedPolicyYaml(String... sets) {
        JsonNode configMap = find(render(sets), d -> d.get("kind").asText().equals("ConfigMap")
                && d.at("/metadata/name").asText().equals(POLICY_CONFIG_MAP))
                .orElseThrow(() -> new AssertionError("no ConfigMap " + POLICY_CONFIG_MAP));
        JsonNode policy = configMap.at("/data/policy.yaml");
        assertThat(policy.isTextual()).as("policy.yaml in %s", POLICY_CONFIG_MAP).isTrue();
        return policy.asText();
    }

    /** Renders the chart like {@code helm template} and parses every non-empty document. */
    static List<JsonNode> render(String... sets) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (String set : sets) {
            int eq = set.indexOf('=');
            template = template.set(set.substring(0, eq), set.substring(eq + 1));
        }
        String manifests = template.call();
        try {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(YAML.createParser(manifests), JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("rendered manifests are not YAML:\n" + manifests, e);
        }
    }

    private static JsonNode policy(String policyYaml) {
        try {
            return YAML.readTree(policyYaml);
        } catch (IOException e) {
            throw new UncheckedIOException("policy.yaml is not YAML:\n" + policyYaml, e);
        }
    }

    private static JsonNode deployment(List<JsonNode> docs) {
        List<JsonNode> deployments = ofKind(docs, "Deployment");
        assertThat(deployments).hasSize(1);
        return deployments.get(0);
    }

    private static JsonNode routerContainer(List<JsonNode> docs) {
        return find(deployment(docs).at("/spec/template/spec/containers"), c -> c.get("name").asText().equals("cutover"))
                .orElseThrow(() -> new AssertionError("no container named cutover"));
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static List<String> kinds(List<JsonNode> docs) {
        return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    private static Optional<JsonNode> find(Iterable<JsonNode> nodes, java.util.function.Predicate<JsonNode> test) {
        return StreamSupport.stream(nodes.spliterator(), false).filter(test).findFirst();
    }

    private static JsonNode envVar(JsonNode container, String name) {
        return find(container.get("env"), e -> e.get("name").asText().equals(name))
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.get("env")));
    }

    private static String env(JsonNode container, String name) {
        return envVar(container, name).get("value").asText();
    }

    /** {@code secret/key} of an env var taken from a Secret. */
    private static String secretRef(JsonNode container, String name) {
        JsonNode ref = envVar(container, name).at("/valueFrom/secretKeyRef");
        return ref.get("name").asText() + "/" + ref.get("key").asText();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
