package dev.junction.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven through its chromedriver, both from the system's packages (Debian's
 * {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs when they are missing). Selenium is
 * given both paths, so it never looks for or downloads a browser of its own. Closing it ends the browser and the
 * driver.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"),
            Path.of("/usr/bin/chromium-browser"), Path.of("/usr/bin/google-chrome"));
    private static final List<Path> DRIVERS = List.of(Path.of("/usr/bin/chromedriver"),
            Path.of("/usr/lib/chromium/chromedriver"));

    private final ChromeDriver driver;

    HeadlessChromium() {
        Path browser = find(BROWSERS, "CHROMIUM_BINARY");
        Path chromedriver = find(DRIVERS, "CHROMEDRIVER");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        // No sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(30)).build();
        this.driver = new ChromeDriver(service, options);
    }

    private static Path find(List<Path> candidates, String variable) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("The status page is tested in a real headless Chromium, and none was found at "
                + candidates + " (or $" + variable + "): install Debian's chromium and chromium-driver packages"
                + " (apt-get install chromium chromium-driver; .ci/run does it when they are missing)");
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Returns what the page wrote to the console at level SEVERE (errors) since the last call. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
