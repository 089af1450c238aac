package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.status.ConfigStatus;

/**
 * The gateway's {@code --config} file read again without a restart: when its content changes, and on {@code SIGHUP}
 * (a real gateway process, as an operator's {@code kill -HUP} reaches it).
 */
class GatewayReloadTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    private static String yaml(DemoBackend... backends) {
        StringBuilder urls = new StringBuilder();
        for (DemoBackend backend : backends) {
            urls.append(urls.isEmpty() ? "" : ", ").append("'").append(backend.url()).append("'");
        }
        return "routes:\n  - {name: app, prefix: /, backends: [" + urls + "]}\n"
                + "admin: {path: /_junction, token: gateway-reload-token}\n";
    }

    private Set<String> servedBy(int port, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/x")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(response.headers().firstValue("X-Backend").orElseThrow());
        }
        return seen;
    }

    @Test
    void aBackendAddedToTheWatchedFileServesWithinFiveSecondsAndABrokenFileChangesNothing() throws Exception {
        try (DemoBackend one = new DemoBackend("one"); DemoBackend two = new DemoBackend("two")) {
            Path file = directory.resolve("junction.yaml");
            Files.writeString(file, yaml(one));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Gateway gateway = GatewayMain.start(new String[] {"--port", "0", "--config", file.toString(),
                    "--access-log", "off"}, new PrintStream(OutputStream.nullOutputStream(), true,
                    StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).gateway();
            assertThat(gateway).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
            try {
                assertThat(servedBy(gateway.port(), 4)).containsExactly("one");

                // Written as editors and Kubernetes do: a new file renamed into place.
                Path next = directory.resolve("junction.yaml.new");
                Files.writeString(next, yaml(one, two));
                Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

                await().atMost(Duration.ofSeconds(5)).until(() -> servedBy(gateway.port(), 10).contains("two"));
                assertThat(gateway.junction().configStatus().lastReload().trigger()).isEqualTo("file changed");

                Files.writeString(file, "routes:\n  - {name: app, prefix: /, backends: ['gopher://x']}\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> gateway.junction().configStatus().lastReload()
                        .outcome() == ConfigStatus.Outcome.REJECTED);
                assertThat(servedBy(gateway.port(), 10)).containsExactlyInAnyOrder("one", "two");
            } finally {
                gateway.close();
            }
        }
    }

    @Test
    void sighupReadsTheFileAgainInARealGatewayProcess() throws Exception {
        try (DemoBackend one = new DemoBackend("one"); DemoBackend two = new DemoBackend("two")) {
            Path file = directory.resolve("junction.yaml");
            Files.writeString(file, yaml(one));
            try (GatewayProcess gateway = GatewayProcess.start("--port", "0", "--config", file.toString(),
                    "--config-watch", "off", "--access-log", "off")) {
                int port = gateway.port;
                assertThat(servedBy(port, 4)).containsExactly("one");

                Files.writeString(file, yaml(two));
                assertThat(servedBy(port, 4)).as("not watched: nothing changes by itself").containsExactly("one");
                gateway.signal("HUP");

                await().atMost(Duration.ofSeconds(10)).until(() -> servedBy(port, 4).equals(Set.of("two")));
                HttpResponse<String> status = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/_junction"))
                        .header("Authorization", "Bearer gateway-reload-token").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.body()).contains("\"trigger\" : \"SIGHUP\"");
            }
        }
    }
}
