package io.cutover.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.observability.Tracing;
import io.cutover.resilience.Outcome;
import io.cutover.routing.Backend;
import io.cutover.routing.RoutingDecision.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The line itself: valid JSON whatever the client sent, and the tenant in the form asked for. */
class AccessLogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static AccessLog log(AccessLogConfig.TenantForm form, double sample) {
        AccessLogConfig config = new AccessLogConfig() {
            @Override
            public boolean enabled() {
                return false;       // no writer thread: format only
            }

            @Override
            public double sample() {
                return sample;
            }

            @Override
            public TenantForm tenant() {
                return form;
            }

            @Override
            public int queueSize() {
                return 16;
            }
        };
        return new AccessLog(config, Clock.systemUTC(), () -> 0L, new Tracing(OpenTelemetry.noop(), true),
                new SimpleMeterRegistry());
    }

    private static AccessLog.Entry entry(String uri, String tenant) {
        return new AccessLog.Entry(0, "GET", uri, "devices", 200, Backend.V2, false, Reason.PIN, Outcome.SUCCESS, null, tenant,
                0, 42, 1_234_567, 1_000, null, UUID.fromString("00000000-0000-0000-0000-000000000001"), false);
    }

    private static JsonNode parse(AccessLog log, AccessLog.Entry e) throws Exception {
        return JSON.readTree(log.format(e, new StringBuilder(), MessageDigest.getInstance("SHA-256")));
    }

    @Test
    void shouldStayOneValidJsonObjectWhateverThePathAndTenantHold() throws Exception {
        String tenant = "a\"b\\c\nd\u0001e\u2028é";
        JsonNode line = parse(log(AccessLogConfig.TenantForm.PLAIN, 1), entry("/api/devices/x\"y\\z\u0007?q=1", tenant));

        assertThat(line.get("tenant").asText()).isEqualTo(tenant);
        assertThat(line.get("path").asText()).isEqualTo("/api/devices/x\"y\\z\u0007");
        assertThat(line.get("query").asBoolean()).isTrue();
        assertThat(line.get("duration_ms").decimalValue()).isEqualByComparingTo("1.234");
        assertThat(line.get("upstream_ms").decimalValue()).isEqualByComparingTo("0.001");
        assertThat(line.get("reason").asText()).isEqualTo("pin");
        assertThat(line.get("outbox_id").asText()).isEqualTo("00000000-0000-0000-0000-000000000001");
    }

    @Test
    void shouldSayWhenTheRouterRefusedARequestBeforeAskingAnyBackend() throws Exception {
        AccessLog.Entry refused = new AccessLog.Entry(0, "PUT", "/api/devices/d", "devices", 503, null, false, Reason.WEIGHT,
                null, "outbox-unavailable", "acme", 7, 90, 1_000_000, 0, null, null, false);
        JsonNode line = parse(log(AccessLogConfig.TenantForm.PLAIN, 1), refused);

        assertThat(line.get("backend").isNull()).isTrue();
        assertThat(line.get("outcome").asText()).isEqualTo("refused");
        assertThat(line.get("refusal").asText()).isEqualTo("outbox-unavailable");
        assertThat(line.get("upstream_ms").isNull()).isTrue();
        assertThat(parse(log(AccessLogConfig.TenantForm.PLAIN, 1), entry("/api/devices", "acme")).has("refusal"))
                .as("an answered request's line has no refusal").isFalse();
    }

    @Test
    void shouldGiveTheTenantAsAHashOrNotAtAllWhenAsked() throws Exception {
        JsonNode hashed = parse(log(AccessLogConfig.TenantForm.HASH, 1), entry("/api/devices", "tenant-acme"));
        JsonNode none = parse(log(AccessLogConfig.TenantForm.NONE, 1), entry("/api/devices", "tenant-acme"));

        assertThat(hashed.has("tenant")).isFalse();
        assertThat(hashed.get("tenant_hash").asText()).hasSize(16).matches("[0-9a-f]+")
                .isEqualTo(parse(log(AccessLogConfig.TenantForm.HASH, 1), entry("/x", "tenant-acme")).get("tenant_hash").asText())
                .isNotEqualTo(parse(log(AccessLogConfig.TenantForm.HASH, 1), entry("/x", "tenant-beta")).get("tenant_hash").asText());
        assertThat(none.has("tenant")).isFalse();
        assertThat(none.has("tenant_hash")).isFalse();
        assertThat(none.toString()).doesNotContain("acme");
    }

    @Test
    void shouldSampleOrdinaryRequestsButKeepEveryFailureAndFallback() {
        assertThat(AccessLog.kept(0.1, 200, false, 0.05)).isTrue();
        assertThat(AccessLog.kept(0.1, 200, false, 0.5)).isFalse();
        assertThat(AccessLog.kept(0, 404, false, 0.0)).isFalse();
        assertThat(AccessLog.kept(0, 502, false, 0.99)).isTrue();
        assertThat(AccessLog.kept(0, 200, true, 0.99)).as("a fallback to V1").isTrue();
    }

    @Test
    void shouldRefuseASampleOutsideZeroToOne() {
        assertThatThrownBy(() -> log(AccessLogConfig.TenantForm.PLAIN, 1.5))
                .hasMessageContaining("cutover.access-log.sample: 1.5 (expected: 0 to 1)");
    }
}
