package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.testkit.AccessLogCapture;
import dev.junction.testkit.PrometheusText;

class GatewayMainTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private GatewayMain.Outcome start(String... args) {
        return GatewayMain.start(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String backendOf(Gateway gateway, String path) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("X-Backend").orElseThrow();
    }

    @Test
    void servesTheBackendsGivenOnTheCommandLineInTurn() throws Exception {
        try (DemoBackend one = new DemoBackend("one"); DemoBackend two = new DemoBackend("two")) {
            Gateway gateway = start("--port", "0", "--backends",
                    one.url().substring("http://".length()) + "," + two.url()).gateway();
            assertThat(gateway).isNotNull();
            try (gateway) {
                List<String> seen = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    seen.add(backendOf(gateway, "/x"));
                }
                assertThat(seen).containsExactly("one", "two", "one", "two");
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("Junction gateway listening on")
                        .contains("[round-robin]");
            }
        }
    }

    @Test
    void withoutArgumentsRunsTheDemoWithItsOwnBackends() throws Exception {
        try (AccessLogCapture log = new AccessLogCapture(); Gateway gateway = start("--port", "0").gateway()) {
            assertThat(gateway).isNotNull();
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(backendOf(gateway, "/hello"));
            }
            assertThat(seen).containsExactly("a", "b", "a", "c", "a");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("curl -s http://127.0.0.1:" + gateway.port())
                    .contains("admin: http://127.0.0.1:" + gateway.port() + "/_junction");
            HttpResponse<String> status = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/_junction")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"name\" : \"demo\"").contains("\"reason\" : \"AVAILABLE\"");
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/_junction/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(PrometheusText.parse(metrics.body()).value("junction_requests_seconds_count",
                    "route", "demo", "backend", "a", "status", "2xx")).isEqualTo(3);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("access log: combined");
            await().atMost(Duration.ofSeconds(5)).until(() -> log.lines().size() >= 5);
            // The JDK's client asks for h2c on its first request, which the gateway grants: HTTP/2 from then on.
            assertThat(log.lines().get(0)).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /hello HTTP/2\\.0\" 200 \\d+ .*");
        }
    }

    @Test
    void withBackendsTheAdminEndpointIsWhereAdminSays() throws Exception {
        try (DemoBackend backend = new DemoBackend("one");
                AccessLogCapture log = new AccessLogCapture();
                Gateway gateway = start("--port", "0", "--backends", backend.url(), "--admin", "/ops",
                        "--access-log", "off").gateway()) {
            assertThat(gateway).isNotNull();
            assertThat(backendOf(gateway, "/x")).isEqualTo("one");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("/ops/metrics for Prometheus");
            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/ops/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(PrometheusText.parse(metrics.body()).value("junction_requests_seconds_count",
                    "route", "default", "status", "2xx")).isEqualTo(1);
            assertThat(log.lines()).isEmpty();
        }
    }

    @Test
    void servesTheRoutesOfAConfigurationFile(@TempDir Path dir) throws Exception {
        try (DemoBackend backend = new DemoBackend("api")) {
            Path config = Files.writeString(dir.resolve("routes.yaml"), """
                    routes:
                      - prefix: /api
                        stripPrefix: true
                        backends: [%s]
                    """.formatted(backend.url()));
            try (Gateway gateway = start("--port", "0", "--config", config.toString()).gateway()) {
                assertThat(gateway).isNotNull();
                assertThat(backendOf(gateway, "/api/x")).isEqualTo("api");
                HttpResponse<String> other = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/other")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(other.statusCode()).isEqualTo(404);
                assertThat(other.body()).isEqualTo("no route for /other\n");
            }
        }
    }

    @Test
    void badArgumentsAreAllNamedWithExitCode2() {
        GatewayMain.Outcome outcome = start("--port", "x", "--io-threads", "0", "--frobnicate", "--strategy",
                "random");
        assertThat(outcome.gateway()).isNull();
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--port: 'x' (expected: an integer from 0 to 65535)")
                .contains("--io-threads: '0' (expected: an integer from 1 to 256)")
                .contains("--frobnicate: unknown option")
                .contains("--strategy: applies to --backends only")
                .contains("Usage:");
    }

    @Test
    void clusterArgumentsAreCheckedTogether() {
        assertThat(start("--workers", "0", "--worker-command", "./app 'x").exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--workers: '0' (expected: an integer from 1 to 1024)")
                .contains("--worker-command: the quote ' at character 7 is not closed");
        err.reset();
        assertThat(start("--workers", "auto", "--backends", "127.0.0.1:1").exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--worker-command: required with --workers (the command each worker runs, with {port})")
                .contains("--workers: not with --backends (the workers are the backends)");
        err.reset();
        assertThat(start("--worker-command", "./app {port}", "--worker-base-port", "70000").exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--workers: required with --worker-command (how many workers to run, or auto)")
                .contains("--worker-base-port: '70000' (expected: an integer from 1 to 65535)");
    }

    @Test
    void versionSaysJunctionsVersion() {
        GatewayMain.Outcome outcome = start("--version");
        assertThat(outcome.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).matches("Junction gateway \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void checkConfigValidatesTheFileWithoutStartingAnything(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), """
                routes:
                  - {prefix: /, strategy: least-connections, backends: [http://127.0.0.1:1]}
                admin: {path: /_junction}
                """);
        GatewayMain.Outcome valid = start("--check-config", "--config", good.toString());
        assertThat(valid.gateway()).isNull();
        assertThat(valid.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Configuration " + good
                + " is valid: 1 route(s), admin endpoint at /_junction");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                routes:
                  - {prefix: /, strategy: fastest, backends: [http://127.0.0.1:1], timeouts: {connect: 5}}
                """);
        GatewayMain.Outcome invalid = start("--check-config", "--config", bad.toString());
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("routes[0].timeouts.connect: '5' (expected: a duration such as 500ms, 5s or 2m)")
                .contains("routes[0].strategy: unknown 'fastest'; known: ");
        err.reset();
        assertThat(start("--check-config").exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--check-config: checks the file --config names (give --config FILE.yaml)");
    }

    @Test
    void optionsComeFromTheEnvironmentTooAndTheCommandLineWins() {
        GatewayOptions options = GatewayOptions.parse(Map.of("JUNCTION_PORT", "9090", "JUNCTION_HOST", "0.0.0.0",
                "JUNCTION_WORKERS", "2", "JUNCTION_WORKER_COMMAND", "./app {port}"), "--port", "7070");
        assertThat(options.problems()).isEmpty();
        assertThat(options.port()).as("the command line wins").isEqualTo(7070);
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.workers()).isEqualTo(2);
        assertThat(options.workerCommand()).isEqualTo("./app {port}");

        GatewayOptions file = GatewayOptions.parse(Map.of("JUNCTION_CONFIG", "/etc/junction.yaml",
                "JUNCTION_PORT", "9090"), "--backends", "127.0.0.1:1", "--host", "--port");
        assertThat(file.problems()).as("the command line chose what to serve").isEmpty();
        assertThat(file.config()).isNull();
        assertThat(file.host()).as("a value, not an option").isEqualTo("--port");
        assertThat(file.port()).isEqualTo(9090);

        GatewayOptions wrong = GatewayOptions.parse(Map.of("JUNCTION_IO_THREADS", "many"), "--port", "x");
        assertThat(wrong.problems()).containsExactly(
                "JUNCTION_IO_THREADS (--io-threads): 'many' (expected: an integer from 1 to 256)",
                "--port: 'x' (expected: an integer from 0 to 65535)");
    }

    @Test
    void configAndBackendsTogetherAreRefused() {
        GatewayMain.Outcome outcome = start("--config", "a.yaml", "--backends", "127.0.0.1:1");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config and --backends: give one or the other");
    }

    @Test
    void aMissingOrInvalidConfigurationIsReportedProblemByProblem(@TempDir Path dir) throws Exception {
        GatewayMain.Outcome missing = start("--port", "0", "--config", dir.resolve("missing.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("file not found");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                routes:
                  - prefix: api
                    backends:
                      - url: http://10.0.0.1:8080
                        weight: 0
                """);
        GatewayMain.Outcome invalid = start("--port", "0", "--config", bad.toString());
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("routes[0].prefix: 'api' (expected: a path starting with '/')")
                .contains("routes[0].backends[0].weight: must be > 0 (was 0)");
    }

    @Test
    void aPortInUseIsReportedWithExitCode1() throws Exception {
        try (Gateway first = start("--port", "0").gateway()) {
            assertThat(first).isNotNull();
            GatewayMain.Outcome second = start("--port", Integer.toString(first.port()));
            assertThat(second.gateway()).isNull();
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("Cannot start the gateway on 127.0.0.1:"
                    + first.port());
        }
    }

    @Test
    void helpPrintsTheUsage() {
        GatewayMain.Outcome outcome = start("--help");
        assertThat(outcome.exitCode()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--backends H:P,H:P,...");
    }

    @Test
    void closingDrainsExchangesInFlightAndRefusesNewConnections() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "finished\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            Gateway gateway = start("--port", "0", "--backends", "127.0.0.1:" + slow.getAddress().getPort()).gateway();
            assertThat(gateway).isNotNull();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.port() + "/work")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

            Future<?> closing = closer.submit(gateway::close);
            // A new connection is refused at once, while the exchange in flight goes on.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() ->
                    new Socket("127.0.0.1", gateway.port()).close()).isInstanceOf(ConnectException.class));
            assertThat(closing).isNotDone();
            release.countDown();

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished\n");
            closing.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            closer.shutdownNow();
            slow.stop(0);
            ((ExecutorService) slow.getExecutor()).shutdownNow();
        }
    }
}
