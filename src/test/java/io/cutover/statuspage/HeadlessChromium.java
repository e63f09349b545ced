package io.cutover.statuspage;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through Debian's chromedriver (packages {@code chromium}, {@code chromium-driver}),
 * headless, with a fresh profile and without any of the background network traffic a closed network makes fail.
 * Selenium is given both paths, so it never tries to download a browser or a driver.
 *
 * <p>Without them installed the browser tests are skipped, unless {@code CUTOVER_BROWSER_TEST=required}
 * (which {@code .ci/run} sets after installing them): then they fail, so that CI cannot skip them silently.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BROWSER = Path.of(System.getProperty("cutover.test.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("cutover.test.chromedriver", "/usr/bin/chromedriver"));

    private final Path profile;
    private final ChromeDriver driver;

    private HeadlessChromium(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    ChromeDriver driver() {
        return driver;
    }

    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /** Skips the calling test without the browser, or fails it when {@code CUTOVER_BROWSER_TEST=required}. */
    static void assumeInstalled() {
        if (installed()) {
            return;
        }
        String message = "the browser tests need " + BROWSER + " and " + DRIVER
                + " (apt-get install chromium chromium-driver)";
        if ("required".equals(System.getenv("CUTOVER_BROWSER_TEST"))) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    static HeadlessChromium start(int width, int height) {
        Path profile;
        try {
            profile = Files.createTempDirectory("cutover-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-GB", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        return new HeadlessChromium(profile, new ChromeDriver(service, options));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }
}
