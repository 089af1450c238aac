package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.HttpString;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.offload.Offload;
import dev.junction.core.status.OffloadStatus;
import dev.junction.testkit.TestBackend;

/**
 * The offload pool as an Undertow handler, in a real Undertow server behind Junction's handler: the rest of the chain
 * runs on the pool's threads in blocking mode, and a request above its threads and queue gets 503 with Retry-After
 * at once.
 */
class OffloadHandlerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Offload offload = Offload.builder("heavy").threads(1).queue(1).retryAfter(Duration.ofSeconds(2))
            .build();
    private Undertow server;
    private JunctionHandler junction;
    private TestBackend backend;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
        if (junction != null) {
            junction.close();
        }
        if (backend != null) {
            backend.close();
        }
        offload.close();
    }

    /** The application's own heavy handler: reads the body with a stream, waits to be released, says its thread. */
    private final HttpHandler heavy = exchange -> {
        byte[] body = exchange.getInputStream().readAllBytes();
        release.await(20, TimeUnit.SECONDS);
        exchange.getResponseHeaders().put(HttpString.tryFromString("X-Thread"),
                Thread.currentThread().getName());
        try (OutputStream out = exchange.getOutputStream()) {
            out.write(("read " + body.length + " bytes\n").getBytes(StandardCharsets.UTF_8));
        }
    };

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) server.getListenerInfo().get(0).getAddress())
                .getPort() + path);
    }

    @Test
    void runsTheChainOnThePoolAndRefusesAboveItsBoundWith503() throws Exception {
        backend = TestBackend.start("api");
        JunctionConfig config = JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/api")
                .backend(backend.url()).build()).admin(AdminConfig.at("/_junction")).build();
        junction = JunctionHandler.create(JunctionHandler.junctionBuilder().offload(offload).build(config),
                new OffloadHandler(offload, heavy));
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(junction).build();
        server.start();

        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            admitted.add(http.sendAsync(HttpRequest.newBuilder(uri("/report")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        await("one running, one waiting").atMost(Duration.ofSeconds(10)).until(() -> offload.status().running() == 1
                && offload.status().queued() == 1);

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/report")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(refused.body()).isEqualTo("overloaded: the heavy pool is full (1 running, 1 waiting)\n");
        // Junction's own routes stay on the I/O thread, untouched by the full pool.
        assertThat(http.send(HttpRequest.newBuilder(uri("/api/x")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> request : admitted) {
            HttpResponse<String> response = request.get(20, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("read 100000 bytes\n");
            assertThat(response.headers().firstValue("X-Thread")).hasValueSatisfying(thread ->
                    assertThat(thread).startsWith("junction-offload-heavy-"));
        }
        // A task counts as completed when its run returns, just after its response went out.
        await("both counted as completed").atMost(Duration.ofSeconds(10))
                .until(() -> offload.status().completed() == 2);
        OffloadStatus status = offload.status();
        assertThat(status.refused()).isEqualTo(1);
        assertThat(status.maxWaitMillis()).as("the second waited for the first").isGreaterThan(0);

        // The pool in Junction's status, as the admin endpoint shows it.
        JsonNode shown = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(uri("/_junction")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).at("/offload/0");
        assertThat(shown.get("name").asText()).isEqualTo("heavy");
        assertThat(shown.get("refused").asLong()).isEqualTo(1);
        assertThat(shown.get("completed").asLong()).isEqualTo(2);
        assertThat(shown.get("queued").asInt()).isZero();
        assertThat(shown.get("maxWaitMillis").asDouble()).isGreaterThan(0);
    }
}
