package io.cutover.statuspage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cutover.resilience.BackendBreakers;
import io.cutover.routing.Backend;
import io.cutover.testing.HistoryIntervals;
import io.cutover.testing.ProxyTestBase;
import io.cutover.testing.TestBackend;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The curves of the status page in a real headless browser, during a scripted incident through the router: V2
 * serves, then answers 500 to a burst of reads, the guard latches, an operator releases. Time moves with the
 * test ticker, one interval of the router's history at a time.
 */
@QuarkusTest
class CurvesBrowserTest extends ProxyTestBase {

    private static final String TOKEN = "test-admin-token";     // application.yml, %test
    /** Written by every run: the curves section after the incident. */
    static final Path SCREENSHOT = Path.of("target", "status-page-curves.png");
    private static final Pattern VERTEX = Pattern.compile("[ML](-?[0-9.]+) (-?[0-9.]+)");

    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @TestHTTPResource("/admin/ui")
    URL page;

    @BeforeAll
    static void startBrowser() {
        if (HeadlessChromium.installed()) {
            chromium = HeadlessChromium.start(1360, 1800);
            browser = chromium.driver();
        }
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @jakarta.inject.Inject
    io.cutover.rollback.RollbackGuard guard;

    @Test
    void shouldDrawABurstOfV2ErrorsInTheIntervalItHappenedAndTheLatchAndReleaseAsMarks() throws Exception {
        HeadlessChromium.assumeInstalled();
        // every read on V2; the guard latches once the burst's failures, weighed against V1's answers, are enough
        applyPolicy("v2Weight: 100\nrollback: {errorRate: 0.5, minRequests: 4, window: 60s, p99LatencyMs: 5000}\n");
        HistoryIntervals intervals = new HistoryIntervals(ticker, TOKEN);
        for (int i = 0; i < 5; i++) {           // warm: on a loaded machine a first call may outlast V2's 500 ms timeout
            read(i).then().statusCode(200);
        }
        String quiet = intervals.next();
        for (int i = 0; i < 5; i++) {
            read(i).then().statusCode(200).header("X-Cutover-Backend", "v2");
        }
        intervals.next();                       // an interval without requests, so the guard's minute forgets the quiet ones
        String burst = intervals.next();
        v2.mode(TestBackend.Mode.ERROR_500);
        int reads = 0;
        while (!latch.isLatched() && reads < 200) {  // each reaches V2 until the guard latches (its breaker's delay let pass)
            CircuitBreakerMaintenance.get().reset(BackendBreakers.name(Backend.V2));
            read(reads++).then().statusCode(200).header("X-Cutover-Backend", "v1");
            guard.evaluate();
        }
        await().atMost(Duration.ofSeconds(10)).until(latch::isLatched);
        assertThat(latch.state().by()).isEqualTo("guard");
        v2.mode(TestBackend.Mode.ECHO);
        String after = intervals.next();
        for (int i = 0; i < 3; i++) {
            read(i).then().statusCode(200).header("X-Cutover-Backend", "v1");
        }
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json")
                .body("{\"reason\": \"V2 fixed\"}").delete("/admin/rollback").then().statusCode(200);
        intervals.next();

        browser.get(page.toString());
        browser.executeScript("window.sessionStorage.clear()");
        browser.get(page.toString());
        browser.findElement(By.id("token-input")).sendKeys(TOKEN);
        browser.findElement(By.id("token-submit")).click();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> slot("curve-errors", after).isEnabled());

        assertThat(browser.findElement(By.id("curves-replica")).getText()).startsWith("Replica router-under-test:");
        assertThat(browser.findElement(By.id("curves-span")).getText()).isEqualTo("one point per 1 min, the last 1.0 h");
        // the figures of each interval, as the operator reads them on hovering over it
        assertThat(title(slot("curve-errors", quiet))).contains("V2 0.0 % (0 of 5)");
        assertThat(title(slot("curve-errors", burst))).contains("V1 0.0 % (0 of " + reads + ")").contains("V2 100.0 % (");
        assertThat(title(slot("curve-errors", after))).contains("V1 0.0 % (0 of 3)").contains("V2 no requests");
        assertThat(title(slot("curve-rate", burst)))
                .contains(String.format(java.util.Locale.ROOT, "V1 %.2f req/s", reads / 60.0));   // in a minute
        assertThat(title(slot("curve-weight", burst))).contains("V2 weight 0 %");   // latched when it closed
        assertThat(title(slot("curve-weight", quiet))).contains("V2 weight 100 %");

        // the V2 error curve: at the top in the burst's interval, on the baseline in the quiet one
        WebElement errors = browser.findElement(By.id("curve-errors"));
        List<double[]> v2 = vertices(errors.findElement(By.cssSelector("path.series.v2")));
        double baseline = Double.parseDouble(errors.findElement(By.cssSelector("line.axis")).getAttribute("y1"));
        double highest = v2.stream().mapToDouble(p -> p[1]).min().orElseThrow();
        assertThat(yWithin(v2, slot("curve-errors", burst))).isEqualTo(highest).isLessThan(baseline);
        assertThat(yWithin(v2, slot("curve-errors", quiet))).isEqualTo(baseline);

        // the latch as marks, on every chart, where they happened
        for (String chart : List.of("curve-rate", "curve-errors", "curve-p99", "curve-weight", "curve-lag")) {
            WebElement latched = mark(chart, "latched");
            assertThat(within(latched, slot(chart, burst))).as(chart + ": latched during the burst").isTrue();
            assertThat(title(latched)).contains("latched at").contains("by guard (error-rate)");
            WebElement released = mark(chart, "released");
            assertThat(within(released, slot(chart, after))).as(chart + ": released in the interval after").isTrue();
            assertThat(title(released)).contains("by operator@127.0.0.1 (release): V2 fixed");
        }
        WebElement section = browser.findElement(By.id("curves"));
        Files.copy(section.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }

    private static io.restassured.response.Response read(int i) {
        return given().header("X-Api-Key", "key-tenant-" + i).get("/api/devices/d-" + i);
    }

    private static WebElement slot(String chart, String start) {
        return browser.findElement(By.cssSelector("#" + chart + " rect.slot[data-start='" + start + "']"));
    }

    /** The last mark of that kind on the chart (earlier tests may have left theirs within the hour). */
    private static WebElement mark(String chart, String event) {
        List<WebElement> marks = browser.findElements(By.cssSelector("#" + chart + " line.mark." + event));
        assertThat(marks).as(chart + " has a " + event + " mark").isNotEmpty();
        return marks.get(marks.size() - 1);
    }

    private static String title(WebElement svgElement) {
        return svgElement.findElement(By.tagName("title")).getAttribute("textContent");
    }

    private static boolean within(WebElement mark, WebElement slot) {
        double x = Double.parseDouble(mark.getAttribute("x1"));
        double from = Double.parseDouble(slot.getAttribute("x"));
        return x >= from && x <= from + Double.parseDouble(slot.getAttribute("width"));
    }

    private static List<double[]> vertices(WebElement path) {
        List<double[]> out = new ArrayList<>();
        Matcher m = VERTEX.matcher(path.getAttribute("d"));
        while (m.find()) {
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        }
        return out;
    }

    /** The y of the curve in the middle of the slot's interval (its ends are shared with the neighbours). */
    private static double yWithin(List<double[]> vertices, WebElement slot) {
        double from = Double.parseDouble(slot.getAttribute("x"));
        double to = from + Double.parseDouble(slot.getAttribute("width"));
        return vertices.stream().filter(p -> p[0] > from + 0.1 && p[0] < to - 0.1).mapToDouble(p -> p[1]).findFirst()
                .orElseThrow(() -> new AssertionError("no vertex between x " + from + " and " + to));
    }
}
