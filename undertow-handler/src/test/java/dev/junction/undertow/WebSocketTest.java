package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.WebSocketBackend;
import dev.junction.testkit.WebSocketClient;
import dev.junction.testkit.WebSocketSuite;

class WebSocketTest extends WebSocketSuite {

    private static final int TUNNELS = 1000;

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }

    @Test
    void stoppingWaitsForTunnelsUpToTheGraceThenClosesThem() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = servers.add(UndertowGateway.start(JunctionHandler.junctionBuilder().grace(Duration.ofMillis(400)),
                JunctionConfig.builder().route(RouteConfig.builder().name("ws").prefix("/").backend(backend.url())
                        .build()).build()));
        WebSocketClient client = WebSocketClient.open(HttpClient.newHttpClient(),
                URI.create("ws://127.0.0.1:" + gateway.port() + "/chat"));
        servers.add(client::close);
        assertThat(client.sendText("hi")).isEqualTo("a: hi");

        long start = System.nanoTime();
        gateway.closeJunction();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the grace period was given to the tunnel")
                .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(client.closed().code()).isEqualTo(1006);
    }

    @Test
    void aThousandOpenTunnelsHoldNoBuffersWhileIdle() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        UndertowGateway gateway = (UndertowGateway) servers.add(UndertowGateway.start(JunctionConfig.builder()
                .route(RouteConfig.builder().name("ws").prefix("/").backend(backend.url()).build()).build()));
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("ws://127.0.0.1:" + gateway.port() + "/chat");
        List<WebSocketClient> clients = new ArrayList<>();
        for (int i = 0; i < TUNNELS; i++) {
            WebSocketClient client = WebSocketClient.open(http, uri);
            servers.add(client::close);
            clients.add(client);
        }
        for (int i = 0; i < TUNNELS; i++) {
            assertThat(clients.get(i).sendText("n" + i)).isEqualTo("a: n" + i);
        }
        assertThat(backend.open).hasSize(TUNNELS);
        assertThat(gateway.junction().status().get(0).backends().get(0).tunnels()).isEqualTo(TUNNELS);
        // A tunnel takes a buffer only while bytes are on their way: idle, a thousand hold none.
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.outstandingBuffers() == 0);

        for (WebSocketClient client : clients) {
            client.socket().sendClose(1000, "");
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                gateway.junction().status().get(0).backends().get(0).tunnels() == 0);
    }
}
