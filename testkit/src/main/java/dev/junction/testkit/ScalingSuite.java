package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.ScalingConfig;
import dev.junction.core.status.ScalingState;
import dev.junction.core.status.ScalingStatus;

/**
 * A route's scaling signal ({@code routes[].scaling}): utilisation held above its high threshold turns it {@code UP},
 * held at or below its low one {@code DOWN}; each change is POSTed to the webhook and shown in the status.
 */
public abstract class ScalingSuite {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    /** An HTTP server on 127.0.0.1 that keeps the bodies POSTed to it. */
    private static final class Webhook implements AutoCloseable {

        final HttpServer server;
        final List<JsonNode> received = new CopyOnWriteArrayList<>();

        Webhook() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/scale", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    received.add(JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/scale";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static ScalingStatus signal(Gateway gateway) {
        return gateway.junction().status().get(0).scaling();
    }

    @Test
    void utilisationHeldAboveItsThresholdSignalsUpAndHeldLowSignalsDownToTheWebhook() throws Exception {
        TestBackend slow = servers.add(TestBackend.start("slow"));
        Webhook webhook = servers.add(new Webhook());
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(RouteConfig.builder().name("app")
                .prefix("/").backend(BackendConfig.builder().url(slow.url()).maxConcurrent(4).build())
                .scaling(new ScalingConfig(true, 50, 10, 0, Duration.ZERO, Duration.ofMillis(600), 0,
                        webhook.url()))
                .build()).build()));
        assertThat(signal(gateway).state()).isEqualTo(ScalingState.STEADY);

        // Three of four places taken for 2.5 s: 75%, above 50% for longer than 600 ms.
        List<CompletableFuture<HttpResponse<String>>> busy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            busy.add(http.sendAsync(HttpRequest.newBuilder(gateway.uri("/slow?ms=2500"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> signal(gateway).state() == ScalingState.UP);
        assertThat(signal(gateway).reason()).isEqualTo("utilisation 75% at or above 50% for 600 ms");
        await().atMost(Duration.ofSeconds(10)).until(() -> !webhook.received.isEmpty());
        JsonNode up = webhook.received.get(0);
        assertThat(up.get("route").asText()).isEqualTo("app");
        assertThat(up.get("signal").asText()).isEqualTo("UP");
        assertThat(up.get("utilisationPercent").asInt()).isEqualTo(75);

        for (CompletableFuture<HttpResponse<String>> request : busy) {
            assertThat(request.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> signal(gateway).state() == ScalingState.DOWN);
        await().atMost(Duration.ofSeconds(10)).until(() -> webhook.received.size() == 2);
        assertThat(webhook.received.get(1).get("signal").asText()).isEqualTo("DOWN");
        assertThat(signal(gateway).utilisationPercent()).isZero();
    }
}
