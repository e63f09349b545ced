package io.cutover.statuspage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.database.RouterDatabase;
import io.cutover.testing.ProgressionChanges;
import io.cutover.testing.ProxyTestBase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Progression timeline of the status page in a real headless browser, moved by the operators' API: the steps
 * done, current and next with the manual gate marked, the time left of the step or why it holds, and the aborted
 * state after the latch. Each state the page shows is compared with {@code GET /admin/progression}.
 */
@QuarkusTest
class ProgressionBrowserTest extends ProxyTestBase {

    private static final String TOKEN = "test-admin-token";     // application.yml, %test
    private static final String POLICY = "progression: {steps: [0, 5, 25, 100], interval: 1h, gates: {25: manual}}\n";
    /** The page asks for the status every 2 s; a state it has not shown after this is a failure (on a loaded machine). */
    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(15);

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @Inject
    RouterDatabase db;

    @TestHTTPResource("/admin/ui")
    URL page;

    @BeforeAll
    static void startBrowser() {
        if (HeadlessChromium.installed()) {
            chromium = HeadlessChromium.start(1360, 1200);
            browser = chromium.driver();
        }
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    @AfterEach
    void noProgressionRow() throws Exception {
        db.pool().query("DELETE FROM cutover_progression").execute().toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType("application/json");
    }

    private static JsonPath api() {
        return admin().get("/admin/progression").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void shouldShowTheStepsTheGateTheTimeLeftWhyItHoldsAndTheAbortAfterTheLatch() {
        HeadlessChromium.assumeInstalled();
        applyPolicy(POLICY);
        // no traffic: the guard has no V2 data, so the first step holds and says why
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(api().getString("progression.hold")).startsWith("no-data"));
        signIn();

        // at 0 %: the first step current, 5 next, the gated 25 later
        awaitShown("progressing", List.of("0% current", "5% next", "25% (manual gate) later", "100% later"));
        assertThat(api().getList("progression.steps.status")).containsExactly("current", "next", "later", "later");
        assertThat(api().getList("progression.steps.gate")).containsExactly(false, false, true, false);
        await().atMost(SHOWN_WITHIN).ignoreExceptions()
                .untilAsserted(() -> assertThat(text("progression-hold")).isEqualTo("last hold: " + api().getString("progression.hold")));
        assertThat(text("progression-hold")).contains("no-data");

        // an operator promotes: 0 done, 5 current, the gate next, with the interval's time left
        ProgressionChanges.post(TOKEN, "promote", "smoke tests passed").statusCode(200);
        awaitShown("progressing", List.of("0% done", "5% current", "25% (manual gate) next", "100% later"));
        JsonPath now = api();
        assertThat(now.getList("progression.steps.status")).containsExactly("done", "current", "next", "later");
        assertThat(now.getDouble("progression.weight")).isEqualTo(5.0);
        Duration left = Duration.between(Instant.parse(now.getString("progression.now")),
                Instant.parse(now.getString("progression.due")));
        assertThat(left).isBetween(Duration.ofMinutes(59), Duration.ofHours(1));
        assertThat(text("progression-current")).startsWith("at 5% since ")
                .matches(".*; next step in (60 min|1\\.0 h) if every window stays healthy");
        assertThat(browser.findElement(By.id("progression-phase")).getAttribute("class")).contains("ok");

        // paused: the page says who holds it and why
        ProgressionChanges.post(TOKEN, "pause", "watching the release").statusCode(200);
        awaitShown("paused", List.of("0% done", "5% current", "25% (manual gate) next", "100% later"));
        assertThat(text("progression-current")).isEqualTo("paused at 5% (by operator@127.0.0.1: watching the release)");
        assertThat(text("progression-hold")).isEqualTo("last hold: paused by operator@127.0.0.1: watching the release")
                .isEqualTo("last hold: " + api().getString("progression.hold"));
        assertThat(browser.findElement(By.id("progression-phase")).getAttribute("class")).contains("warn");

        // the latch aborts it: V2 weight 0, the way back named
        admin().body("{\"reason\":\"bad deploy\"}").post("/admin/rollback").then().statusCode(200);
        awaitShown("aborted", List.of("0% done", "5% current", "25% (manual gate) next", "100% later"));
        JsonPath aborted = api();
        assertThat(aborted.getString("progression.phase")).isEqualTo("aborted");
        assertThat(aborted.getDouble("progression.weight")).isZero();
        assertThat(text("progression-current"))
                .isEqualTo("aborted: V2 weight 0. Release the latch, then POST /admin/progression/restart");
        assertThat(text("progression-hold")).startsWith("last hold: rollback latched: ").contains("bad deploy")
                .isEqualTo("last hold: " + aborted.getString("progression.hold"));
        assertThat(browser.findElement(By.id("progression-phase")).getAttribute("class")).contains("bad");
        assertThat(text("weight")).isEqualTo("0");
    }

    private void signIn() {
        browser.get(page.toString());
        browser.executeScript("window.sessionStorage.clear()");
        browser.get(page.toString());
        browser.findElement(By.id("token-input")).sendKeys(TOKEN);
        browser.findElement(By.id("token-submit")).click();
    }

    /** Waits until the page shows the phase and the steps as "weight% status", and the API has the same phase. */
    private static void awaitShown(String phase, List<String> steps) {
        await().atMost(SHOWN_WITHIN).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("progression")).isDisplayed()).isTrue();
            assertThat(text("progression-phase")).isEqualTo(phase);
            assertThat(browser.findElements(By.cssSelector("#progression-steps li")).stream().map(ProgressionBrowserTest::step))
                    .containsExactlyElementsOf(steps);
        });
        assertThat(api().getString("progression.phase")).isEqualTo(phase);
    }

    private static String step(WebElement li) {
        return li.getText() + " " + li.getAttribute("class").replace("step", "").trim();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }
}
