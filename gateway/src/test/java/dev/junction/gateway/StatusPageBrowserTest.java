package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.testkit.TestBackend;
import dev.junction.testkit.WorkerServer;

/**
 * The status page in a real headless Chromium, served by the gateway over two real backends: it loads without a
 * console error, draws traffic, shows a backend that goes down within two of its refreshes, and its buttons act.
 */
class StatusPageBrowserTest {

    private static final String TOKEN = "page-test-token-0123";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private TestBackend a;
    private TestBackend b;
    private Gateway gateway;
    private HeadlessChromium chromium;

    @BeforeEach
    void backendsAndBrowser() {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        chromium = new HeadlessChromium();
    }

    @AfterEach
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        a.close();
        b.close();
    }

    private void startGateway(String admin) throws Exception {
        Path config = Files.writeString(dir.resolve("junction.yaml"), """
                routes:
                  - name: web
                    prefix: /
                    healthCheck: {path: /health, interval: 200ms, timeout: 500ms, healthyThreshold: 1,
                                  unhealthyThreshold: 1}
                    circuitBreaker: {}
                    backends:
                      - {id: a, url: "%s"}
                      - {id: b, url: "%s"}
                %s
                """.formatted(a.url(), b.url(), admin));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        gateway = GatewayMain.start(new String[] {"--port", "0", "--config", config.toString()}, quiet, quiet)
                .gateway();
        assertThat(gateway).as("the gateway started").isNotNull();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    @Test
    void showsTheBackendsLiveAndItsButtonsAct() throws Exception {
        startGateway("admin: {path: /_junction}");
        ChromeDriver page = chromium.driver();
        page.get(url("/_junction"));

        assertThat(page.getCurrentUrl()).endsWith("/_junction/");
        assertThat(page.getTitle()).isEqualTo("Junction status");
        WebDriverWait wait = new WebDriverWait(page, PATIENCE);
        wait.until(ExpectedConditions.attributeToBe(row("a"), "data-reason", "AVAILABLE"));
        wait.until(ExpectedConditions.attributeToBe(row("b"), "data-reason", "AVAILABLE"));
        assertThat(cell("b", "state")).isEqualTo("up");
        assertThat(cell("a", "breaker")).isEqualTo("closed");

        // Traffic appears in the route's charts, drawn from the differences between two refreshes.
        for (int i = 0; i < 20; i++) {
            assertThat(get("/x").statusCode()).isEqualTo(200);
        }
        wait.until(driver -> {
            String points = page.findElement(By.cssSelector("[data-route='web'] [data-chart='rate'] polyline"))
                    .getDomAttribute("points");
            return points != null && !points.isEmpty();
        });
        wait.until(driver -> Integer.parseInt(cell("a", "requests")) + Integer.parseInt(cell("b", "requests"))
                == 20);

        // A backend goes down: the page shows it within two of its refreshes after Junction knows.
        b.close();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !backend("b").path("available").asBoolean());
        int known = refreshes(page);
        wait.until(ExpectedConditions.attributeToBe(row("b"), "data-reason", "UNHEALTHY"));
        assertThat(refreshes(page)).as("refreshes from the moment Junction knew").isLessThanOrEqualTo(known + 2);
        assertThat(cell("b", "state")).isEqualTo("unhealthy");
        assertThat(cell("b", "why")).startsWith("failed its active health check");
        assertThat(page.findElement(By.cssSelector("[data-route='web'] .route-state")).getText())
                .isEqualTo("1 of 2 available");

        // Holding a's breaker open through its button: Junction holds it open, and the page says so.
        page.findElement(By.cssSelector("tr[data-backend='a'] button[data-mode='open']")).click();
        wait.until(ExpectedConditions.attributeToBe(row("a"), "data-reason", "BREAKER_OPEN"));
        assertThat(backend("a").path("breakerMode").asText()).isEqualTo("FORCED_OPEN");
        assertThat(page.findElement(By.id("message")).getText()).contains("backend a: breaker open, held by an");
        assertThat(page.findElement(By.cssSelector("tr[data-backend='a'] button[data-mode='open']"))
                .getAttribute("aria-pressed")).isEqualTo("true");
        page.findElement(By.cssSelector("tr[data-backend='a'] button[data-mode='automatic']")).click();
        wait.until(ExpectedConditions.attributeToBe(row("a"), "data-reason", "AVAILABLE"));
        assertThat(backend("a").path("breakerMode").asText()).isEqualTo("AUTOMATIC");

        // Running the checks through the button: they run before the page hears back.
        int checks = a.healthChecks.get();
        page.findElement(By.id("run-checks")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"),
                "Health checks ran: 1 of 2 backends take requests."));
        assertThat(a.healthChecks.get()).isGreaterThan(checks);

        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void showsAReloadRefusedWithItsProblemsWhileTheConfigurationBeforeServes() throws Exception {
        startGateway("admin: {path: /_junction}");
        ChromeDriver page = chromium.driver();
        page.get(url("/_junction"));
        WebDriverWait wait = new WebDriverWait(page, PATIENCE);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("generation"), "configuration 1 from "));

        Files.writeString(dir.resolve("junction.yaml"), "routes: [{name: web, prefix: /, backends: [{url: '"
                + a.url() + "', weight: 0}]}]\nadmin: {path: /_junction}\n");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reload-refused")));
        assertThat(page.findElement(By.id("reload-refused")).getText())
                .startsWith("Reload refused (file changed, ")
                .contains("routes[0].backends[0].weight: must be > 0 (was 0)");
        assertThat(get("/x").statusCode()).isEqualTo(200);
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void showsTheClusterWorkersAndItsButtonRollsThem() throws Exception {
        int base = WorkerServer.freePorts(3);
        String command = WorkerServer.command().stream().map(argument -> "'" + argument + "'")
                .collect(Collectors.joining(" "));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        gateway = GatewayMain.start(new String[] {"--port", "0", "--workers", "2", "--worker-command", command,
                "--worker-base-port", Integer.toString(base), "--admin", "/_junction", "--access-log", "off"}, quiet,
                quiet).gateway();
        assertThat(gateway).as("the gateway started").isNotNull();
        ChromeDriver page = chromium.driver();
        page.get(url("/_junction"));
        WebDriverWait wait = new WebDriverWait(page, PATIENCE);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cluster-summary"), "2 of 2 up"));
        List<String> pids = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            List<WebElement> cells = page.findElements(By.cssSelector("tr[data-worker='" + id + "'] td"));
            assertThat(cells.get(1).getText()).isEqualTo("up");
            assertThat(cells.get(3).getText()).isEqualTo(Integer.toString(base + id));
            pids.add(cells.get(2).getText());
        }
        assertThat(pids).allMatch(pid -> pid.matches("\\d+"));

        page.findElement(By.id("rolling-restart")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Rolling restart started"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cluster-summary"),
                "last rolling restart (the admin endpoint) replaced 2"));
        wait.until(driver -> driver.findElements(By.cssSelector("#workers tr")).stream()
                .map(row -> row.findElements(By.tagName("td")).get(2).getText()).noneMatch(pids::contains));
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    @Test
    void asksForTheTokenWhenOneIsSetAndKeepsItForTheTab() throws Exception {
        startGateway("admin: {path: /_junction, token: " + TOKEN + "}");
        ChromeDriver page = chromium.driver();
        page.get(url("/_junction/"));

        WebDriverWait wait = new WebDriverWait(page, PATIENCE);
        WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(page.findElements(By.cssSelector("tr[data-backend]"))).as("nothing is read without it").isEmpty();
        token.sendKeys(TOKEN);
        page.findElement(By.cssSelector("#token-form button[type='submit']")).click();
        wait.until(ExpectedConditions.attributeToBe(row("a"), "data-reason", "AVAILABLE"));
        assertThat(page.findElement(By.id("token-form")).isDisplayed()).isFalse();

        // The button's request carries the token, as the page's reads do.
        page.findElement(By.cssSelector("tr[data-backend='b'] button[data-mode='open']")).click();
        wait.until(ExpectedConditions.attributeToBe(row("b"), "data-reason", "BREAKER_OPEN"));

        page.navigate().refresh();
        wait.until(ExpectedConditions.attributeToBe(row("b"), "data-reason", "BREAKER_OPEN"));
        assertThat(page.findElement(By.id("token-form")).isDisplayed()).as("kept for the tab").isFalse();
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    private static By row(String backend) {
        return By.cssSelector("tr[data-route='web'][data-backend='" + backend + "']");
    }

    private String cell(String backend, String column) {
        return chromium.driver().findElement(By.cssSelector("tr[data-route='web'][data-backend='" + backend + "'] td."
                + column)).getText();
    }

    private static int refreshes(ChromeDriver page) {
        return Integer.parseInt(page.findElement(By.tagName("body")).getAttribute("data-refreshes"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode backend(String id) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/_junction/status")))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN);
        JsonNode route = new ObjectMapper().readTree(client.send(request.build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("routes").path(0);
        for (JsonNode backend : route.path("backends")) {
            if (backend.path("id").asText().equals(id)) {
                return backend;
            }
        }
        throw new AssertionError("no backend " + id + " in " + route);
    }
}
