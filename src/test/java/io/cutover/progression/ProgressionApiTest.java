package io.cutover.progression;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.cutover.database.RouterDatabase;
import io.cutover.observability.MetricNames;
import io.cutover.testing.HistoryIntervals;
import io.cutover.testing.ProgressionChanges;
import io.cutover.testing.ProxyTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operators' progression API, through HTTP, with the router's own progression and database. */
@QuarkusTest
class ProgressionApiTest extends ProxyTestBase {

    private static final String POLICY = "progression: {steps: [0, 5, 25, 100], interval: 1h, gates: {25: manual}}\n";

    @Inject
    RouterDatabase db;

    @Inject
    Progression progression;

    @Inject
    MeterRegistry registry;

    /** The weight gauge the status page's weight curve and the dashboards read. */
    private double weightGauge() {
        return registry.get(MetricNames.EFFECTIVE_WEIGHT).gauge().value();
    }

    private static double weightOfPoint(HistoryIntervals intervals, String start) {
        java.util.List<java.util.Map<String, Object>> points = intervals.history().getList("points");
        return points.stream().filter(p -> start.equals(p.get("start"))).map(p -> ((Number) p.get("v2Weight")).doubleValue())
                .findFirst().orElseThrow(() -> new AssertionError("no point of the history starts at " + start));
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token");
    }

    @BeforeEach
    void freshProgression() throws Exception {
        db.pool().query("DELETE FROM cutover_progression").execute().toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(2)).until(() -> progression.state() == null);
        applyPolicy(POLICY);
        await().atMost(Duration.ofSeconds(2)).until(() -> progression.state() != null);
    }

    @Test
    void shouldShowTheStepsAsATimeline() {
        // no traffic: the guard has no V2 data, and the step holds (written within the hold resolution, 1 s)
        await().atMost(Duration.ofSeconds(3)).until(() -> progression.view().hold() != null);
        admin().get("/admin/progression").then().statusCode(200)
                .body("progression.phase", equalTo("progressing"))
                .body("progression.weight", equalTo(0.0f))
                .body("progression.steps.status", hasItems("current", "next", "later"))
                .body("progression.steps.find { it.weight == 25.0 }.gate", equalTo(true))
                .body("progression.hold", containsString("no-data"));
    }

    @Test
    void shouldPromoteByHandWithWhoAndWhyAndRouteByTheNewStep() {
        HistoryIntervals intervals = new HistoryIntervals(ticker, "test-admin-token");
        given().get("/api/devices").then().header("X-Cutover-Backend", "v1");
        assertThat(weightGauge()).as("the first step's weight").isEqualTo(0.0);
        String atFirstStep = intervals.next();
        String promotedIn = intervals.next();      // closes the first interval, still at 0 %
        ProgressionChanges.post("test-admin-token", "promote", "V2 load-tested by hand").statusCode(200)
                .body("changed", equalTo(true))
                .body("progression.weight", equalTo(5.0f))
                .body("progression.by", containsString("operator@"))
                .body("progression.reason", equalTo("V2 load-tested by hand"));
        admin().get("/admin/status").then().body("effectiveV2Weight", equalTo(5.0f))
                .body("progression.phase", equalTo("progressing"));
        assertThat(weightGauge()).as("the step promoted into").isEqualTo(5.0);
        intervals.next();                          // the weight curve: its point of each interval, read as it closed
        assertThat(weightOfPoint(intervals, atFirstStep)).isEqualTo(0.0);
        assertThat(weightOfPoint(intervals, promotedIn)).isEqualTo(5.0);
        admin().get("/admin/progression").then().body("events[0].event", equalTo("promoted-by-operator"))
                .body("events[0].reason", equalTo("V2 load-tested by hand"));
    }

    @Test
    void shouldRefuseAChangeWithoutAReasonAndChangeNothing() {
        admin().contentType("application/json").body("{}").post("/admin/progression/promote").then().statusCode(400)
                .body("error", containsString("reason is required"));
        admin().get("/admin/progression").then().body("progression.weight", equalTo(0.0f));
    }

    @Test
    void shouldAnswer409WhenTheMoveIsNotPossibleNow() {
        admin().contentType("application/json").body("{\"reason\":\"too early\"}").post("/admin/progression/restart")
                .then().statusCode(409).body("changed", equalTo(false))
                .body("refused", containsString("expected: aborted"));
    }

    @Test
    void shouldAbortOnTheLatchAndRestartOnlyAfterTheRelease() {
        admin().contentType("application/json").body("{\"reason\":\"bad deploy\"}").post("/admin/rollback").then().statusCode(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> "aborted".equals(progression.view().phase()));
        admin().get("/admin/status").then().body("effectiveV2Weight", equalTo(0.0f)).body("progression.phase", equalTo("aborted"));
        admin().contentType("application/json").body("{\"reason\":\"fixed\"}").post("/admin/progression/restart")
                .then().statusCode(409).body("refused", containsString("released first"));
        admin().contentType("application/json").body("{\"reason\":\"fixed\"}").delete("/admin/rollback").then().statusCode(200);
        admin().get("/admin/progression").then().body("progression.phase", equalTo("aborted"));
        admin().contentType("application/json").body("{\"reason\":\"fixed\"}").post("/admin/progression/restart")
                .then().statusCode(200).body("progression.phase", equalTo("progressing"));
    }

    @Test
    void shouldNeedTheAdminToken() {
        given().get("/admin/progression").then().statusCode(401);
    }
}
