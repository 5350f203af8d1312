package dev.forger.lab;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver. Both paths are given explicitly, so
 * Selenium Manager never tries to download a browser or driver (there is no network here for that).
 */
final class Browser implements AutoCloseable {
    /**
     * As root Chromium needs --no-sandbox; the background-networking, component-update and sync switches stop its
     * own connections, which this machine's closed network would refuse (and log as errors).
     */
    private static final List<String> SWITCHES = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--lang=en-US");

    final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static Browser start(Path work) throws IOException {
        Path chromium = Packages.require("chromium", "chromium");
        Path chromedriver = Packages.require("chromedriver", "chromium-driver");
        Files.createDirectories(work);
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(SWITCHES);
        options.addArguments("--user-data-dir=" + profile, "--window-size=1280,800");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().withLogFile(work.resolve("chromedriver.log").toFile()).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile);
    }

    /** Loads the lab and waits until it has its models (body data-ready). */
    void open(URI lab) {
        driver.get(lab.toString());
        await(Duration.ofSeconds(60), d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
    }

    /**
     * Makes the viewport {@code width} × {@code height} CSS pixels. Through the DevTools protocol, since the
     * window's size includes its frame and headless Chromium keeps windows within its screen.
     */
    void resize(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", false));
        long w = (Long) script("return window.innerWidth");
        long h = (Long) script("return window.innerHeight");
        if (w != width || h != height) {
            throw new AssertionError("asked for a " + width + "×" + height + " viewport, got " + w + "×" + h);
        }
    }

    WebElement testId(String id) {
        return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    /** An element of one panel (its section id): several panels have a status line and an error box. */
    WebElement in(String panel, String id) {
        return driver.findElement(By.cssSelector("#" + panel + " [data-testid='" + id + "']"));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        // the page re-renders lists as answers arrive: an element found a moment ago may be replaced
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    /** Console and network errors since the last call (reading clears them). */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    /** A PNG of one element, scrolled into view first. */
    void screenshot(WebElement element, Path file) throws IOException {
        script("arguments[0].scrollIntoView({block: 'start'})", element);
        Files.createDirectories(file.getParent());
        Files.copy(element.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A PNG of the viewport. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
