package io.cutover.override;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.observability.MetricNames;
import io.cutover.testing.ProxyTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The override header ({@code cutover.routing.override-header=X-Cutover-Route} in tests) through the router. */
@QuarkusTest
class TesterOverrideTest extends ProxyTestBase {

    private static final String HEADER = "X-Cutover-Route";

    @Inject
    MeterRegistry registry;

    private double count(String result) {
        return registry.counter(MetricNames.ROUTING_OVERRIDES, MetricNames.TAG_RESULT, result).count();
    }

    @Test
    void shouldSendATesterKeysRequestToV2AtWeightZero() {
        applyPolicy("v2Weight: 0\n");
        given().header("X-Api-Key", "key-tester-qa").header(HEADER, "v2").get("/api/devices")
                .then().statusCode(200).header("X-Cutover-Backend", "v2");
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).hasSize(1);
        assertThat(v2.received().get(0).header(HEADER)).as("the override is the router's, not the backend's").isNull();
        assertThat(v2.received().get(0).header("X-Tenant-Id")).isEqualTo("tenant-qa");
    }

    @Test
    void shouldStripAndCountTheHeaderOfAnyoneElse() {
        applyPolicy("v2Weight: 0\n");
        double before = count("stripped");
        given().header("X-Api-Key", "key-tenant-acme").header(HEADER, "v2").get("/api/devices")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
        given().header(HEADER, "v2").post("/api/devices").then().header("X-Cutover-Backend", "v1");
        assertThat(v2.received()).isEmpty();
        assertThat(v1.received()).extracting(r -> r.header(HEADER)).containsExactly(null, null);
        assertThat(count("stripped") - before).isEqualTo(2);
    }

    @Test
    void shouldTrustTheTenantsListedAsTestersInThePolicy() {
        applyPolicy("v2Weight: 100\ntesters: [tenant-acme]\n");
        given().header("X-Api-Key", "key-tenant-acme").header(HEADER, "V1").get("/api/devices")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
        given().header("X-Api-Key", "key-tenant-other").header(HEADER, "v1").get("/api/devices")
                .then().header("X-Cutover-Backend", "v2");
    }

    @Test
    void shouldStillObeyTheRollbackLatch() {
        applyPolicy("v2Weight: 0\n");
        latch.latchByHand("test", "test", null);
        given().header("X-Api-Key", "key-tester-qa").header(HEADER, "v2").get("/api/devices")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
    }

    @Test
    void shouldDualWriteATestersOverriddenWrite() {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        given().header("X-Api-Key", "key-tester-qa").header(HEADER, "v2").contentType("application/json")
                .body("{\"name\":\"probe\"}").post("/api/devices").then().statusCode(201).header("X-Cutover-Backend", "v2");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !v1.received().isEmpty());
        assertThat(v1.received().get(0).method()).isEqualTo("POST");
        assertThat(v1.received().get(0).header(HEADER)).isNull();
    }
}
