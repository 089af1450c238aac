package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.WebSocketBackend;
import dev.junction.testkit.WebSocketClient;
import dev.junction.testkit.WebSocketSuite;

class WebSocketTest extends WebSocketSuite {

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

    @Override
    protected void whileThousandOpen(Gateway gateway) {
        // A tunnel takes a buffer only while bytes are on their way: idle, a thousand hold none.
        await().atMost(Duration.ofSeconds(5)).until(() -> ((UndertowGateway) gateway).outstandingBuffers() == 0);
    }
}
