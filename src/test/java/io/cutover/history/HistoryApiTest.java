package io.cutover.history;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cutover.testing.HistoryIntervals;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/history} of the running router, fed by real requests to its two real test backends. */
@QuarkusTest
class HistoryApiTest extends ProxyTestBase {

    private static final String TOKEN = "test-admin-token";     // application.yml, %test

    @Test
    void shouldRefuseTheHistoryWithoutTheAdminToken() {
        given().get("/admin/history").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"cutover-admin\"");
        given().header("Authorization", "Bearer wrong").get("/admin/history").then().statusCode(401);
    }

    @Test
    void shouldDocumentTheHistoryInOpenApiBehindTheAdminToken() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/admin/history'.get.security[0].adminToken", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/admin/history'.get.responses.'200'", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldPutRequestsAndV2ErrorsInTheIntervalTheyWereSentInAndTheLatchAsAMark() {
        applyPolicy("v2Weight: 100\ntenants: {tenant-held: v1}\nrollback: {errorRate: 0.5, minRequests: 1000, window: 10s}\n");
        HistoryIntervals intervals = new HistoryIntervals(ticker, TOKEN);
        String first = intervals.next();
        for (int i = 0; i < 3; i++) {
            given().header("X-Api-Key", "key-tenant-held").get("/api/devices/d-" + i).then().statusCode(200);
        }
        String second = intervals.next();
        v2.mode(TestBackend.Mode.ERROR_500);
        for (int i = 0; i < 4; i++) {           // fewer than the V2 breaker's request volume: all reach V2
            given().header("X-Api-Key", "key-tenant-" + i).get("/api/devices/d-" + i).then().statusCode(200)
                    .header("X-Cutover-Backend", "v1");
        }
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("{\"reason\": \"V2 answers 500\"}").post("/admin/rollback").then().statusCode(200);
        intervals.next();

        JsonPath h = intervals.history();
        assertThat(h.getString("replica")).isEqualTo("router-under-test");
        assertThat(h.getLong("intervalMs")).isEqualTo(60_000);      // application.yml, %test
        assertThat(h.getLong("spanMs")).isEqualTo(3_600_000);
        List<Map<String, Object>> points = h.getList("points");
        assertThat(points).hasSizeLessThanOrEqualTo(60);
        Map<String, Object> quiet = point(h, first);
        assertThat(path(quiet, "v1.requests")).isEqualTo(3);
        assertThat(path(quiet, "v1.errorRate")).isEqualTo(0.0f);
        assertThat(path(quiet, "v2.requests")).isEqualTo(0);
        assertThat(path(quiet, "v2.errorRate")).as("no V2 request: no error rate").isNull();
        assertThat(((Number) path(quiet, "v1.ratePerSecond")).doubleValue()).isCloseTo(3 / 60.0, within(1e-6));
        assertThat(((Number) path(quiet, "v1.p99Ms")).doubleValue()).isPositive();
        assertThat(((Number) quiet.get("v2Weight")).doubleValue()).isEqualTo(100.0);
        Map<String, Object> burst = point(h, second);
        assertThat(path(burst, "v2.requests")).isEqualTo(4);
        assertThat(path(burst, "v2.failures")).isEqualTo(4);
        assertThat(path(burst, "v2.errorRate")).isEqualTo(1.0f);
        assertThat(path(burst, "v1.requests")).as("the reads fell back to V1").isEqualTo(4);
        assertThat(((Number) burst.get("v2Weight")).doubleValue()).as("latched when the interval closed").isZero();
        List<Map<String, Object>> marks = h.getList("marks");
        Map<String, Object> mark = marks.get(marks.size() - 1);
        assertThat(mark).containsEntry("event", "latched").containsEntry("cause", "operator")
                .containsEntry("reason", "V2 answers 500").containsEntry("by", "operator@127.0.0.1").containsEntry("here", true);
        java.time.Instant at = java.time.Instant.parse((String) mark.get("at"));
        assertThat(at).as("within the burst's interval").isBetween(java.time.Instant.parse(second),
                java.time.Instant.parse(second).plusSeconds(60));
    }

    private static Map<String, Object> point(JsonPath h, String start) {
        List<Map<String, Object>> points = h.getList("points");
        return points.stream().filter(p -> start.equals(p.get("start"))).findFirst()
                .orElseThrow(() -> new AssertionError("no point starting " + start + " in " + points.subList(
                        Math.max(0, points.size() - 3), points.size())));
    }

    @SuppressWarnings("unchecked")
    private static Object path(Map<String, Object> point, String path) {
        String[] parts = path.split("\\.");
        return ((Map<String, Object>) point.get(parts[0])).get(parts[1]);
    }
}
