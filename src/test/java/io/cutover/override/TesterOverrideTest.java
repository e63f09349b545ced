package io.cutover.override;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.cutover.database.RouterDatabase;
import io.cutover.observability.MetricNames;
import io.cutover.testing.ProxyTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The override header ({@code cutover.routing.override-header=X-Cutover-Route} in tests) through the router. */
@QuarkusTest
class TesterOverrideTest extends ProxyTestBase {

    private static final String HEADER = "X-Cutover-Route";

    /** What a CGI/WSGI-style backend reads as the same header ({@code HTTP_X_CUTOVER_ROUTE}). */
    private static final String LOOK_ALIKE = "X_Cutover_Route";

    @Inject
    MeterRegistry registry;

    @Inject
    RouterDatabase db;

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

    @Test
    void shouldDropAnUntrustedCallersUnderscoreLookAlikeBeforeBothBackendsAndTheOutboxAndRouteByTheWeight() throws Exception {
        applyPolicy("v2Weight: 0\ndualWrite: true\n");
        String marker = "look-alike-" + System.nanoTime();
        given().header("X-Api-Key", "key-tenant-acme").header(LOOK_ALIKE, "v2").contentType("application/json")
                .body("{\"name\":\"" + marker + "\"}").post("/api/devices")
                .then().statusCode(201).header("X-Cutover-Backend", "v1");
        given().header("X-Api-Key", "key-tenant-acme").header(LOOK_ALIKE, "v2").get("/api/devices/d-1")
                .then().statusCode(200).header("X-Cutover-Backend", "v1");
        // the write's copy towards V2 goes through the outbox: the row, then what V2 receives from it
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !v2.received().isEmpty());
        assertThat(v1.received()).hasSize(2);
        for (var received : v1.received()) {
            assertThat(overrideSpellings(received.headers().keySet())).as("V1 receives no spelling of it").isEmpty();
        }
        assertThat(v2.received()).as("the outbox's copy of the write only").hasSize(1);
        assertThat(v2.received().get(0).body()).contains(marker);
        assertThat(overrideSpellings(v2.received().get(0).headers().keySet())).as("V2 receives no spelling of it").isEmpty();
        String stored = db.pool().preparedQuery("SELECT headers::text FROM cutover_outbox WHERE position($1 in convert_from(body, 'UTF8')) > 0")
                .execute(io.vertx.sqlclient.Tuple.of(marker)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
                .iterator().next().getString(0);
        assertThat(stored).as("the outbox row's headers").containsIgnoringCase("content-type")
                .doesNotContainIgnoringCase("cutover_route").doesNotContainIgnoringCase("cutover-route");
    }

    @Test
    void shouldStillApplyATestersOverrideWhenALookAlikeComesAlong() {
        applyPolicy("v2Weight: 0\n");
        given().header("X-Api-Key", "key-tester-qa").header(HEADER, "v2").header(LOOK_ALIKE, "v1").get("/api/devices")
                .then().statusCode(200).header("X-Cutover-Backend", "v2");
        assertThat(v1.received()).isEmpty();
        assertThat(v2.received()).hasSize(1);
        assertThat(overrideSpellings(v2.received().get(0).headers().keySet())).isEmpty();
    }

    private static java.util.List<String> overrideSpellings(Iterable<String> names) {
        return StreamSupport.stream(names.spliterator(), false)
                .filter(n -> n.toLowerCase(Locale.ROOT).replace('_', '-').equals("x-cutover-route")).toList();
    }
}
