package io.cutover.shadow;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.cutover.testing.TestBackend.Canned;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Shadow reads through the real router, against the two real test backends: what is compared,
 * what is noise, what is recorded, and that the client never waits for or sees a shadow call.
 */
@QuarkusTest
class ShadowReadsTest extends ProxyTestBase {

    private static final String TOKEN = "test-admin-token";     // application.yml, %test
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String ALL = "v2Weight: 0\nshadowReads: 1\n";

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    private static Response read(String tenant, String path) {
        return given().header("X-Api-Key", "key-" + tenant).get(path);
    }

    private static JsonPath shadow() {
        return admin().get("/admin/shadow").then().statusCode(200).extract().jsonPath();
    }

    /** The recorded difference of one path, or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> recorded(String path) {
        List<Map<String, Object>> recent = shadow().getList("recent");
        return recent.stream().filter(r -> path.equals(r.get("path"))).findFirst().orElse(null);
    }

    /** This replica's figures of one tenant on the devices route: compared, mismatched, noise. */
    private static long[] figures(String tenant) {
        List<Map<String, Object>> routes = shadow().getList("routes");
        return routes.stream().filter(r -> r.get("route").equals("devices") && r.get("tenant").equals(tenant))
                .map(r -> new long[] {((Number) r.get("compared")).longValue(), ((Number) r.get("mismatched")).longValue(),
                        ((Number) r.get("noise")).longValue()})
                .findFirst().orElse(new long[3]);
    }

    /** What this test added to the figures of one tenant since {@code before} (other classes read as the same tenants). */
    private static long[] since(long[] before, String tenant) {
        long[] now = figures(tenant);
        return new long[] {now[0] - before[0], now[1] - before[1], now[2] - before[2]};
    }

    private static double metric(String name, String tags) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + tags + "}") + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static long shadowCalls(TestBackend b) {
        return b.received().stream().filter(r -> r.header(ShadowReads.SHADOW_HEADER) != null).count();
    }

    @Test
    void shouldRecordAFieldThatDiffersNamingExactlyThatField() {
        applyPolicy(ALL);
        String v1Body = "{\"id\":\"d-1\",\"name\":\"a\",\"type\":\"thermo\",\"temp\":21}";
        v1.respond(r -> new Canned(200, v1Body));
        v2.respond(r -> new Canned(200, "{\"tenantId\":\"tenant-acme\",\"type\":\"thermo\",\"temp\":21.0,\"name\":\"b\",\"id\":\"d-1\"}"));
        long[] before = figures("tenant-acme");
        String mismatched = "primary=\"v1\",route=\"devices\",tenant=\"tenant-acme\"";
        double mismatchedBefore = metric("cutover_shadow_mismatched_total", mismatched);
        long comparedBefore = admin().get("/admin/status").then().statusCode(200).extract().jsonPath().getLong("shadow.compared");

        read("tenant-acme", "/api/devices/shadow-1?fields=all").then().statusCode(200)
                .header("X-Cutover-Backend", "v1");
        // the client got V1's answer, byte for byte
        assertThat(read("tenant-acme", "/api/devices/shadow-1b").asString()).isEqualTo(v1Body);

        await().atMost(WAIT).until(() -> recorded("/api/devices/shadow-1?fields=all") != null);
        Map<String, Object> r = recorded("/api/devices/shadow-1?fields=all");
        assertThat(r).containsEntry("route", "devices").containsEntry("tenant", "tenant-acme")
                .containsEntry("method", "GET").containsEntry("primary", "v1")
                .containsEntry("primaryStatus", 200).containsEntry("secondaryStatus", 200)
                .containsEntry("differences", List.of(Map.of("path", "$.name", "primary", "\"a\"", "secondary", "\"b\"")));
        assertThat(r.get("at")).isNotNull();
        // the same read, with the tenant, went to V2 once and to V1 a second time
        TestBackend.Received shadowCall = v2.received().stream()
                .filter(x -> x.uri().equals("/api/devices/shadow-1?fields=all")).findFirst().orElseThrow();
        assertThat(shadowCall.method()).isEqualTo("GET");
        assertThat(shadowCall.header("X-Tenant-Id")).isEqualTo("tenant-acme");
        await().atMost(WAIT).until(() -> v1.received().stream().filter(x -> x.uri().equals("/api/devices/shadow-1?fields=all")).count() == 2);
        assertThat(v1.received().stream().filter(x -> x.uri().equals("/api/devices/shadow-1?fields=all"))
                .allMatch(x -> x.header("X-Tenant-Id") == null)).isTrue();
        await().atMost(WAIT).until(() -> since(before, "tenant-acme")[0] == 2);
        assertThat(since(before, "tenant-acme")).containsExactly(2, 2, 0);
        JsonPath status = admin().get("/admin/status").then().statusCode(200).extract().jsonPath();
        assertThat(status.getDouble("shadow.sampleRate")).isEqualTo(1.0);
        assertThat(status.getLong("shadow.compared")).isEqualTo(comparedBefore + 2);
        assertThat(metric("cutover_shadow_mismatched_total", mismatched)).isEqualTo(mismatchedBefore + 2);
    }

    @Test
    void shouldNotCountFieldOrderNumberFormatTimestampPrecisionOrTenantId() {
        applyPolicy(ALL);
        v1.respond(r -> new Canned(200, "{\"id\":\"d-2\",\"reading\":1,\"ratio\":0.50,"
                + "\"createdAt\":\"2026-11-22T08:00:00.123456Z\",\"tags\":[{\"k\":\"a\"}]}"));
        v2.respond(r -> new Canned(200, "{\"tags\":[{\"tenantId\":\"tenant-2\",\"k\":\"a\"}],\"tenantId\":\"tenant-2\","
                + "\"createdAt\":\"2026-11-22T09:00:00.123+01:00\",\"ratio\":5e-1,\"reading\":1.0,\"id\":\"d-2\"}"));
        long[] before = figures("tenant-2");
        for (int i = 0; i < 3; i++) {
            read("tenant-2", "/api/devices/shadow-2-" + i).then().statusCode(200);
        }
        await().atMost(WAIT).until(() -> since(before, "tenant-2")[0] == 3);
        assertThat(since(before, "tenant-2")).containsExactly(3, 0, 0);
        assertThat(recorded("/api/devices/shadow-2-0")).isNull();
    }

    @Test
    void shouldCountAFieldThatDiffersBetweenTwoPrimaryAnswersAsNoise() {
        applyPolicy(ALL);
        AtomicInteger seq = new AtomicInteger();
        long[] before = figures("tenant-3");
        String noise = "primary=\"v1\",route=\"devices\",tenant=\"tenant-3\"";
        double noiseBefore = metric("cutover_shadow_noise_total", noise);
        v1.respond(r -> new Canned(200, "{\"id\":\"d-3\",\"requestSeq\":" + seq.incrementAndGet() + ",\"status\":\"online\"}"));
        v2.respond(r -> new Canned(200, "{\"id\":\"d-3\",\"requestSeq\":" + (1000 + seq.incrementAndGet()) + ",\"status\":\"offline\"}"));

        read("tenant-3", "/api/devices/shadow-3").then().statusCode(200);

        await().atMost(WAIT).until(() -> recorded("/api/devices/shadow-3") != null);
        assertThat(recorded("/api/devices/shadow-3").get("differences"))
                .isEqualTo(List.of(Map.of("path", "$.status", "primary", "\"online\"", "secondary", "\"offline\"")));
        assertThat(since(before, "tenant-3")).containsExactly(1, 1, 1);

        // only noise: compared, not a mismatch
        v2.respond(r -> new Canned(200, "{\"id\":\"d-3\",\"requestSeq\":" + (1000 + seq.incrementAndGet()) + ",\"status\":\"online\"}"));
        read("tenant-3", "/api/devices/shadow-3-quiet").then().statusCode(200);
        await().atMost(WAIT).until(() -> since(before, "tenant-3")[0] == 2);
        assertThat(since(before, "tenant-3")).containsExactly(2, 1, 2);
        assertThat(recorded("/api/devices/shadow-3-quiet")).isNull();
        assertThat(metric("cutover_shadow_noise_total", noise)).isEqualTo(noiseBefore + 2);
    }

    @Test
    void shouldShadowFromV2ToV1WithoutTheTenantHeader() {
        applyPolicy("v2Weight: 0\nshadowReads: 1\ntenants: {tenant-4: v2}\n");
        v1.respond(r -> new Canned(404, "{\"error\":\"not found\"}"));
        v2.respond(r -> new Canned(200, "{\"id\":\"d-4\"}"));
        read("tenant-4", "/api/devices/shadow-4").then().statusCode(200).header("X-Cutover-Backend", "v2");
        await().atMost(WAIT).until(() -> recorded("/api/devices/shadow-4") != null);
        Map<String, Object> r = recorded("/api/devices/shadow-4");
        assertThat(r).containsEntry("primary", "v2").containsEntry("primaryStatus", 200).containsEntry("secondaryStatus", 404);
        assertThat(r.get("differences").toString()).contains("(status)", "$.id", "$.error");
        assertThat(v1.received()).singleElement().satisfies(x -> {
            assertThat(x.header(ShadowReads.SHADOW_HEADER)).isEqualTo("true");
            assertThat(x.header("X-Tenant-Id")).isNull();
        });
    }

    @Test
    void shouldAddNoLatencyOrErrorWhenTheShadowSideHangs() {
        applyPolicy(ALL);
        v1.respond(r -> new Canned(200, "{\"id\":\"d-5\"}"));
        v2.mode(TestBackend.Mode.HANG);
        double failedBefore = metric("cutover_shadow_skipped_total", "reason=\"secondary-failed\"");
        long[] before = figures("tenant-5");
        long guardBefore = admin().get("/admin/status").then().extract().jsonPath().getLong("guard.window.v2.requests");
        for (int i = 0; i < 6; i++) {
            // V1's answer, while the shadow side answers nothing: the client's answer does not wait for the shadow
            read("tenant-5", "/api/devices/shadow-5-" + i).then().statusCode(200).header("X-Cutover-Backend", "v1");
        }
        await().atMost(WAIT).until(() -> metric("cutover_shadow_skipped_total", "reason=\"secondary-failed\"") >= failedBefore + 6);
        JsonPath status = admin().get("/admin/status").then().statusCode(200).extract().jsonPath();
        // six V2 timeouts would open V2's breaker (4 calls, ratio 0.5) and feed the guard if they counted
        assertThat(status.getString("breakers.v2")).isEqualTo("closed");
        assertThat(status.getLong("guard.window.v2.requests")).isEqualTo(guardBefore);
        assertThat(since(before, "tenant-5")[0]).isZero();
    }

    @Test
    void shouldSkipShadowingWhileTheOtherSidesBreakerIsOpen() {
        applyPolicy("v2Weight: 0\nshadowReads: 1\ntenants: {tenant-6: v2}\n");
        v2.mode(TestBackend.Mode.ERROR_500);
        for (int i = 0; i < 4; i++) {   // V2 fails reads of the pinned tenant: its breaker opens, V1 answers
            read("tenant-6", "/api/devices/shadow-6-open-" + i).then().statusCode(200);
        }
        await().atMost(WAIT).until(() -> admin().get("/admin/status").jsonPath().getString("breakers.v2").equals("open"));
        double before = metric("cutover_shadow_skipped_total", "reason=\"breaker-open\"");
        int v2Calls = v2.received().size();
        read("tenant-7", "/api/devices/shadow-6").then().statusCode(200).header("X-Cutover-Backend", "v1");
        await().atMost(WAIT).until(() -> metric("cutover_shadow_skipped_total", "reason=\"breaker-open\"") >= before + 1);
        assertThat(v2.received()).hasSize(v2Calls);
    }

    @Test
    void shouldSampleTheSameReadsEachTimeAndNoneAtZero() {
        v1.respond(r -> new Canned(200, "{\"id\":\"x\"}"));
        v2.respond(r -> new Canned(200, "{\"id\":\"x\"}"));
        applyPolicy("v2Weight: 0\nshadowReads: 0\n");
        long[] before = figures("tenant-8");
        for (int i = 0; i < 20; i++) {
            read("tenant-8", "/api/devices/shadow-8-" + i).then().statusCode(200);
        }
        // writes are never shadowed either
        given().header("X-Api-Key", "key-tenant-8").contentType("application/json").body("{\"name\":\"n\"}")
                .post("/api/devices").then().statusCode(200);
        applyPolicy(ALL);
        given().header("X-Api-Key", "key-tenant-8").contentType("application/json").body("{\"name\":\"n\"}")
                .put("/api/devices/shadow-8-0").then().statusCode(200);
        read("tenant-8", "/api/devices/shadow-8-marker").then().statusCode(200);
        await().atMost(WAIT).until(() -> since(before, "tenant-8")[0] == 1);
        assertThat(v2.received()).extracting(TestBackend.Received::uri).containsExactly("/api/devices/shadow-8-marker");

        applyPolicy("v2Weight: 0\nshadowReads: 0.5\n");
        v2.reset();
        v2.respond(r -> new Canned(200, "{\"id\":\"x\"}"));
        List<String> expected = new java.util.ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40; i++) {
                String uri = "/api/devices/shadow-9-" + i;
                read("tenant-9", uri).then().statusCode(200);
                if (round == 0 && ShadowSampler.sampled(0.5, "cutover", io.cutover.routing.RequestKind.Route.DEVICES, "tenant-9", uri)) {
                    expected.add(uri);
                }
            }
        }
        assertThat(expected.size()).isBetween(8, 32);
        await().atMost(WAIT).until(() -> shadowCalls(v2) == 2L * expected.size());
        assertThat(v2.received()).extracting(TestBackend.Received::uri)
                .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(expected.stream(), expected.stream()).toList());
    }

    @Test
    void shouldRelayALargeAnswerWholeAndSkipComparingIt() {
        applyPolicy(ALL);
        String big = "{\"items\":[" + ("\"" + "x".repeat(1000) + "\",").repeat(299) + "\"end\"]}";  // 300K > max-body
        v1.respond(r -> new Canned(200, big));
        v2.respond(r -> new Canned(200, "{\"items\":[]}"));
        double tooLarge = metric("cutover_shadow_skipped_total", "reason=\"too-large\"");
        double status = metric("cutover_shadow_skipped_total", "reason=\"status\"");
        long[] before = figures("tenant-11");
        assertThat(read("tenant-11", "/api/devices/shadow-11").asString()).isEqualTo(big);
        await().atMost(WAIT).until(() -> metric("cutover_shadow_skipped_total", "reason=\"too-large\"") == tooLarge + 1);

        v1.mode(TestBackend.Mode.ERROR_500);      // a 5xx of the primary is relayed, not compared
        read("tenant-11", "/api/devices/shadow-11-failed").then().statusCode(500);
        await().atMost(WAIT).until(() -> metric("cutover_shadow_skipped_total", "reason=\"status\"") == status + 1);
        assertThat(shadowCalls(v2)).isZero();
        assertThat(since(before, "tenant-11")[0]).isZero();
    }

    @Test
    void shouldKeepTheLastDifferencesOnly() {
        applyPolicy(ALL);
        v1.respond(r -> new Canned(200, "{\"v\":1}"));
        v2.respond(r -> new Canned(200, "{\"v\":2}"));
        for (int i = 0; i < 7; i++) {
            String path = "/api/devices/shadow-10-" + i;
            read("tenant-10", path).then().statusCode(200);
            await().atMost(WAIT).until(() -> recorded(path) != null);
        }
        // keep-last is 5 in tests: the database holds the five newest, newest first
        await().atMost(WAIT).until(() -> shadow().getList("recent.path").size() == 5
                && shadow().getString("recent[0].path").equals("/api/devices/shadow-10-6"));
        assertThat(shadow().getList("recent.path", String.class)).containsExactly(
                "/api/devices/shadow-10-6", "/api/devices/shadow-10-5", "/api/devices/shadow-10-4",
                "/api/devices/shadow-10-3", "/api/devices/shadow-10-2");
        assertThat(admin().get("/admin/status").jsonPath().getList("shadow.recent.path")).hasSize(5);
    }
}
