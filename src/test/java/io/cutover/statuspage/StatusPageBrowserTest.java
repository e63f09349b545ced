package io.cutover.statuspage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.cutover.database.RouterDatabase;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;

/**
 * The status page in a real headless browser (Debian's chromium), against the router with its two real test
 * backends: it asks for the token, shows what {@code /admin/status} says, and its buttons move the latch.
 */
@QuarkusTest
class StatusPageBrowserTest extends ProxyTestBase {

    private static final String TOKEN = "test-admin-token";     // application.yml, %test
    /** Written by every run; docs/img/status-page.png is a copy of it (for the README). */
    static final Path SCREENSHOT = Path.of("target", "status-page.png");

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @TestHTTPResource("/admin/ui")
    URL page;

    @Inject
    RouterDatabase database;

    @BeforeAll
    static void startBrowser() {
        if (HeadlessChromium.installed()) {
            chromium = HeadlessChromium.start(1360, 1000);
            browser = chromium.driver();
        }
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /** Each test starts from a tab that holds no token and has its network. */
    @BeforeEach
    void forgetTheToken() {
        HeadlessChromium.assumeInstalled();         // each test is reported skipped (or failed, in CI) without it
        browser.deleteNetworkConditions();
        browser.get(page.toString());
        browser.executeScript("window.sessionStorage.clear()");
    }

    @AfterEach
    void network() throws Exception {
        if (browser != null) {
            browser.deleteNetworkConditions();
        }
        // the runs decide which pins to V2 are applied (a verify with differences refuses them): none outlives a test
        sql("DELETE FROM cutover_migration_runs");
        sql("DELETE FROM cutover_tenant_state WHERE tenant = 'tenant-7'");
        sql("DELETE FROM cutover_tenant_transitions WHERE tenant = 'tenant-7'");
    }

    @Test
    void shouldShowTheFiguresOfTheStatusAndReleaseTheLatchWithItsButton() throws IOException {
        // every read shadowed: the test backends' answers name the backend, so each comparison finds a difference
        applyPolicy("v2Weight: 50\nshadowReads: 1\ntenants: {tenant-acme: v2, tenant-held: v1}\n");
        // Real traffic through the router: V2 fails once (its read falls back to V1), then both serve.
        v2.mode(TestBackend.Mode.ERROR_500);
        given().header("X-Api-Key", "key-tenant-acme").get("/api/devices").then().statusCode(200);
        v2.mode(TestBackend.Mode.ECHO);
        for (int i = 0; i < 40; i++) {
            given().header("X-Api-Key", "key-tenant-" + i).get("/api/devices/d-" + i).then().statusCode(200);
        }
        // The last backfill and verify, as the jobs record them in the router's database (--record-url).
        Instant now = Instant.now();
        sql("DELETE FROM cutover_migration_runs");
        sql("INSERT INTO cutover_migration_runs (job, started_at, finished_at, exit_code, summary) VALUES"
                + " ('backfill', '" + now.minusSeconds(7200) + "', '" + now.minusSeconds(5400) + "', 0,"
                + "  '{\"complete\": true, \"rows\": 2000400, \"tables\": [{\"table\": \"devices\", \"rows\": 400,"
                + "  \"inserted\": 400, \"updated\": 0, \"unchanged\": 0}, {\"table\": \"telemetry\", \"rows\": 2000000,"
                + "  \"inserted\": 1999000, \"updated\": 1000, \"unchanged\": 0}]}'),"
                + " ('verify', '" + now.minusSeconds(3600) + "', '" + now.minusSeconds(3580) + "', 1, '{\"equal\": false,"
                + "  \"differences\": 2, \"firstDifferences\": [{\"table\": \"alerts\", \"key\": \"a0007\","
                + "  \"kind\": \"missing\"}, {\"table\": \"devices\", \"key\": \"d-0042\", \"kind\": \"different\"}]}')");
        // tenant-acme has an equal verify of its own, so its pin to V2 stands despite the later global one
        sql("INSERT INTO cutover_migration_runs (job, started_at, finished_at, exit_code, summary, tenant) VALUES"
                + " ('verify', '" + now.minusSeconds(9000) + "', '" + now.minusSeconds(8990) + "', 0,"
                + "  '{\"equal\": true, \"differences\": 0}', 'tenant-acme')");
        // a tenant on its way, moved through the admin API
        admin().contentType("application/json").body("{\"state\": \"backfilled\", \"reason\": \"backfill --tenant tenant-7 done\"}")
                .post("/admin/tenants/tenant-7/state").then().statusCode(200);
        // the shadow comparisons run after the answers: wait until all 40 sampled reads are compared
        eventually().untilAsserted(() -> assertThat(admin().get("/admin/shadow").then().extract().jsonPath()
                .getLong("compared")).isGreaterThanOrEqualTo(40));
        JsonPath status = admin().get("/admin/status").then().statusCode(200).extract().jsonPath();
        long windowMs = status.getLong("guard.window.windowMs");
        long v1Requests = status.getLong("guard.window.v1.requests");
        long v2Requests = status.getLong("guard.window.v2.requests");
        assertThat(v1Requests).as("V1 served some").isPositive();
        assertThat(v2Requests).as("V2 served some").isPositive();
        assertThat(status.getLong("guard.window.v2.failures")).isEqualTo(1);

        browser.get(page.toString());
        assertThat(browser.getCurrentUrl()).endsWith("/admin/ui/");
        assertThat(displayed("token-form")).isTrue();
        assertThat(displayed("dashboard")).isFalse();

        // A wrong token: the form again, with the router's reason.
        signIn(TOKEN + "-wrong");
        eventually().untilAsserted(() -> assertThat(text("token-error")).isEqualTo("wrong bearer token"));
        assertThat(displayed("token-form")).isTrue();
        assertThat(displayed("dashboard")).isFalse();

        signIn(TOKEN);
        eventually().untilAsserted(() -> assertThat(text("weight")).isEqualTo("50"));
        assertThat(displayed("token-form")).isFalse();
        assertThat(text("v1-requests")).isEqualTo(String.valueOf(v1Requests));
        assertThat(text("v2-requests")).isEqualTo(String.valueOf(v2Requests));
        assertThat(number(text("v1-rate"))).isCloseTo(v1Requests * 1000.0 / windowMs, within(0.01));
        assertThat(number(text("v2-rate"))).isCloseTo(v2Requests * 1000.0 / windowMs, within(0.01));
        assertThat(text("v1-rate")).endsWith("req/s");
        assertThat(number(text("v2-errors"))).isCloseTo(status.getDouble("guard.window.v2.errorRate") * 100, within(0.06));
        assertThat(text("v2-errors")).endsWith("(1 failed)");
        assertThat(text("v1-errors")).isEqualTo("0.0 % (0 failed)");
        assertThat(text("v1-p99")).isEqualTo(Math.round(status.getDouble("guard.window.v1.p99Ms")) + " ms");
        assertThat(text("v2-p99")).isEqualTo(Math.round(status.getDouble("guard.window.v2.p99Ms")) + " ms");
        assertThat(text("v1-breaker")).isEqualTo("closed");
        assertThat(text("v2-breaker")).isEqualTo("closed");
        eventually().untilAsserted(() -> assertThat(text("pins")).contains("tenant-acme V2").contains("tenant-held V1"));
        assertThat(text("latch-state")).isEqualTo("armed");
        assertThat(text("outbox-pending")).isEqualTo(String.valueOf(status.getLong("outbox.pending")));
        assertThat(text("outbox-database")).isEqualTo("up");
        assertThat(displayed("release-form")).isFalse();
        assertThat(displayed("latch-form")).isTrue();
        assertThat(text("backfill")).startsWith("done, 2,000,400 rows, finished ").endsWith(", took 30 min");
        assertThat(text("backfill-tables")).contains("telemetry: 2,000,000 rows (1,999,000 inserted, 1,000 updated, 0 unchanged)");
        assertThat(text("verify")).startsWith("2 differences, finished ");
        assertThat(text("verify-differences")).contains("missing alerts a0007").contains("different devices d-0042");

        assertThat(text("shadow-compared")).isEqualTo(String.valueOf(status.getLong("shadow.compared")));
        assertThat(text("shadow-mismatched")).isEqualTo(String.valueOf(status.getLong("shadow.mismatched")));
        assertThat(status.getLong("shadow.mismatched")).as("echoed answers differ by backend name").isPositive();
        assertThat(text("tenant-states")).contains("tenant-7").contains("backfilled");
        assertThat(browser.findElements(org.openqa.selenium.By.cssSelector("#shadow-routes tbody tr"))).hasSize(8);
        assertThat(text("shadow-routes-more")).isEqualTo("and " + (status.getList("shadow.routes").size() - 8)
                + " more route and tenant pairs (GET /admin/shadow)");

        // Latched through the API: the page shows it within a poll, with the reason.
        admin().contentType("application/json").body("{\"reason\":\"V2 p99 over budget since the 10:00 deploy\"}")
                .post("/admin/rollback").then().statusCode(200);
        eventually().untilAsserted(() -> assertThat(text("latch-state")).isEqualTo("latched"));
        assertThat(text("latch-reason")).isEqualTo("V2 p99 over budget since the 10:00 deploy");
        assertThat(text("latch-by")).isEqualTo("operator@127.0.0.1");
        assertThat(text("weight")).isEqualTo("0");
        assertThat(text("weight-note")).contains("the policy says 50 %");
        assertThat(displayed("release-form")).isTrue();
        assertThat(displayed("latch-form")).isFalse();
        screenshot();

        // The release button: the latch is released for the router, and the page says so.
        browser.findElement(By.id("release-reason")).sendKeys("V2 fixed, p99 back under 300 ms");
        browser.findElement(By.id("release-button")).click();
        eventually().untilAsserted(() -> assertThat(latch.isLatched()).isFalse());
        admin().get("/admin/status").then().statusCode(200)
                .body("latch.state", org.hamcrest.Matchers.equalTo("armed"))
                .body("latch.reason", org.hamcrest.Matchers.equalTo("V2 fixed, p99 back under 300 ms"));
        eventually().untilAsserted(() -> assertThat(text("latch-state")).isEqualTo("armed"));
        assertThat(text("latch-reason")).isEqualTo("V2 fixed, p99 back under 300 ms");
        assertThat(text("action-result")).isEqualTo("Released: routing follows the policy again.");
        assertThat(text("weight")).isEqualTo("50");
        assertThat(displayed("latch-form")).isTrue();
        given().header("X-Api-Key", "key-tenant-acme").get("/api/devices").then().header("X-Cutover-Backend", "v2");
        sql("DELETE FROM cutover_migration_runs");
    }

    @Test
    void shouldLatchFromThePageOnlyAfterTheOperatorConfirms() {
        openWithToken();
        browser.findElement(By.id("latch-reason-input")).sendKeys("V2 alerts firing");
        browser.findElement(By.id("latch-button")).click();
        browser.switchTo().alert().dismiss();
        assertThat(latch.isLatched()).as("dismissed: nothing sent").isFalse();

        browser.findElement(By.id("latch-button")).click();
        assertThat(browser.switchTo().alert().getText()).contains("all traffic to V1");
        browser.switchTo().alert().accept();
        eventually().untilAsserted(() -> assertThat(latch.isLatched()).isTrue());
        assertThat(latch.state().reason()).isEqualTo("V2 alerts firing");
        eventually().untilAsserted(() -> assertThat(text("latch-state")).isEqualTo("latched"));
        assertThat(text("latch-cause")).isEqualTo("operator");
        assertThat(text("action-result")).isEqualTo("Latched: all traffic goes to V1.");
    }

    @Test
    void shouldSayWhenTheRouterCannotBeReachedAndRecover() {
        openWithToken();
        browser.setNetworkConditions(new ChromiumNetworkConditions().setOffline(true));
        eventually().untilAsserted(() -> assertThat(displayed("banner")).isTrue());
        assertThat(text("banner")).startsWith("Cannot reach the router").contains("Retrying every 2 s")
                .contains("The figures below are from");
        assertThat(text("live")).startsWith("stale since");
        assertThat(text("weight")).as("the last figures stay, marked stale").isEqualTo("0");
        assertThat(browser.findElement(By.id("dashboard")).getAttribute("class")).contains("stale");

        browser.deleteNetworkConditions();
        eventually().untilAsserted(() -> assertThat(displayed("banner")).isFalse());
        assertThat(text("live")).startsWith("live, updated");
        assertThat(browser.findElement(By.id("dashboard")).getAttribute("class")).doesNotContain("stale");
    }

    @Test
    void shouldKeepTheTokenForTheTabOnlyUntilTheOperatorForgetsIt() {
        openWithToken();
        browser.navigate().refresh();
        eventually().untilAsserted(() -> assertThat(text("latch-state")).isEqualTo("armed"));
        assertThat(displayed("token-form")).isFalse();

        browser.findElement(By.id("sign-out")).click();
        assertThat(displayed("token-form")).isTrue();
        assertThat(displayed("dashboard")).isFalse();
        assertThat(browser.executeScript("return window.sessionStorage.getItem('cutover.adminToken')")).isNull();
        assertThat(browser.findElement(By.id("weight")).getAttribute("textContent")).as("no figure left in the page").isEmpty();
    }

    @Test
    void shouldRenderShadowReadsAndTenantStatesInTheAgreedShapes() {
        // The shadow and tenant figures of /admin/status in the shapes agreed with their producers, set into the
        // real answer by the browser (the router of this test may not produce them).
        String id = stubStatus("""
                s.shadow = {sampleRate: 0.1, compared: 120, mismatched: 3, mismatchRate: 0.025,
                  routes: [{route: 'devices', tenant: 'acme', compared: 60, mismatched: 2, mismatchRate: 0.033}],
                  recent: [{at: '2026-11-22T08:00:00Z', route: 'devices', tenant: 'acme', method: 'GET',
                    path: '/api/devices/d-1', primary: 'v1', primaryStatus: 200, secondaryStatus: 200,
                    differences: [{path: '$.name', primary: '"a"', secondary: '"b"'}]}]};
                s.tenants = [
                  {tenant: 'acme', state: 'dual-write', since: '2026-11-22T08:00:00Z', by: 'operator@127.0.0.1',
                   reason: '<b>not bold</b>', lastVerify: {at: '2026-11-22T08:30:00Z', equal: false, differences: 5}},
                  {tenant: 'beta', state: 'reads-on-v2', since: '2026-11-21T08:00:00Z', by: 'operator@10.0.0.7',
                   reason: 'verified twice', lastVerify: null}];
                """);
        try {
            openWithToken();
            eventually().untilAsserted(() -> assertThat(displayed("tenants")).isTrue());
            assertThat(displayed("shadow-none")).isFalse();
            assertThat(text("shadow-rate")).isEqualTo("2.5 %");
            assertThat(text("shadow-mismatched")).isEqualTo("3");
            assertThat(text("shadow-compared")).isEqualTo("120");
            assertThat(text("shadow-sample")).isEqualTo("10.0 %");
            assertThat(text("shadow-routes")).contains("devices acme 60 2 3.3 %");
            assertThat(text("shadow-recent")).contains("GET /api/devices/d-1 · tenant acme · V1 answered 200")
                    .contains("$.name \"a\" → \"b\"");
            assertThat(text("tenant-states")).contains("acme dual-write (1 of 5)").contains("5 differences")
                    .contains("beta reads-on-v2 (4 of 5)").contains("verified twice");
            // what the router reports is text, never markup
            assertThat(text("tenant-states")).contains("<b>not bold</b>");
            assertThat(browser.findElements(By.cssSelector("#tenant-states b"))).isEmpty();
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }

        // Before the shadow and tenant features report anything: a note, and no tenant table.
        String without = stubStatus("delete s.shadow; delete s.tenants;");
        try {
            browser.executeScript("window.sessionStorage.clear()");
            openWithToken();
            eventually().untilAsserted(() -> assertThat(displayed("shadow-none")).isTrue());
            assertThat(text("shadow-none")).isEqualTo("no shadow reads yet");
            assertThat(displayed("shadow-figures")).isFalse();
            assertThat(displayed("tenants")).isFalse();
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", without));
        }

        String empty = stubStatus("s.shadow = {sampleRate: 0.05, compared: 0, mismatched: 0, mismatchRate: 0,"
                + " routes: [], recent: []}; s.tenants = [];");
        try {
            browser.executeScript("window.sessionStorage.clear()");
            openWithToken();
            eventually().untilAsserted(() -> assertThat(displayed("tenants")).isTrue());
            assertThat(text("tenant-states")).contains("no tenant has a migration state yet");
            assertThat(text("shadow-none")).isEqualTo("no shadow reads yet (sampling 5.0 % of reads)");
        } finally {
            browser.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", empty));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    private void sql(String statement) {
        try {
            database.pool().query(statement).execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(statement, e);
        }
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    private void openWithToken() {
        browser.get(page.toString());
        signIn(TOKEN);
        eventually().untilAsserted(() -> assertThat(displayed("dashboard")).isTrue());
    }

    private static void signIn(String token) {
        WebElement input = browser.findElement(By.id("token-input"));
        input.clear();
        input.sendKeys(token);
        browser.findElement(By.id("token-submit")).click();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static boolean displayed(String id) {
        return browser.findElement(By.id(id)).isDisplayed();
    }

    private static double number(String text) {
        return Double.parseDouble(text.substring(0, text.indexOf(' ')));
    }

    /**
     * Rewrites each answer of {@code /admin/status} in the page before the page sees it ({@code s} is the parsed
     * answer), for the pages loaded from now on; returns the script's id for {@code removeScriptToEvaluateOnNewDocument}.
     */
    private static String stubStatus(String change) {
        String source = "(() => { const real = window.fetch;"
                + " window.fetch = async (url, init) => { const r = await real(url, init);"
                + " if (!String(url).endsWith('/status') || r.status !== 200) { return r; }"
                + " const s = await r.json(); " + change
                + " return new Response(JSON.stringify(s), {status: 200, headers: {'Content-Type': 'application/json'}}); };"
                + " })();";
        return (String) browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source))
                .get("identifier");
    }

    /** The whole page (beyond the window), as PNG. */
    private static void screenshot() throws IOException {
        long width = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        long height = (Long) browser.executeScript("return document.documentElement.scrollHeight");
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode((String) shot.get("data")));
    }
}
