package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.status.BackendStatus;

/**
 * WebSocket through the proxy, with a real WebSocket backend (Undertow's) and a real client (the JDK's): the upgrade
 * reaches the backend the route picks, its {@code 101} turns both connections into a tunnel, and frames, pings and
 * closes pass both ways until either side ends it.
 */
public abstract class WebSocketSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private Gateway gateway(String backendUrl, TimeoutConfig timeouts) {
        return servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("ws").prefix("/").backend(backendUrl).timeouts(timeouts).build())
                .build()));
    }

    private static URI ws(Gateway gateway, String path) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + path);
    }

    private WebSocketClient open(Gateway gateway) throws Exception {
        WebSocketClient client = WebSocketClient.open(http, ws(gateway, "/chat"));
        servers.add(client::close);
        return client;
    }

    @Test
    void echoesTextAndBinaryFramesLargeOnesTooAndAnswersPings() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = gateway(backend.url(), TimeoutConfig.DEFAULT);
        WebSocketClient client = open(gateway);

        assertThat(client.sendText("hello")).isEqualTo("a: hello");
        assertThat(client.sendText("héllo wörld ✓")).isEqualTo("a: héllo wörld ✓");
        assertThat((byte[]) client.sendBinary(new byte[] {0, 1, 2, (byte) 255})).containsExactly(0, 1, 2, 255);
        byte[] large = new byte[1024 * 1024 + 7];
        new Random(7).nextBytes(large);
        assertThat((byte[]) client.sendBinary(large)).isEqualTo(large);
        String longText = "x".repeat(300_000);
        assertThat(client.sendText(longText)).isEqualTo("a: " + longText);

        client.socket().sendPing(java.nio.ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8)))
                .get(10, TimeUnit.SECONDS);
        assertThat(((WebSocketClient.Pong) client.next()).data()).asString(StandardCharsets.UTF_8)
                .isEqualTo("are you there");
        assertThat(backend.upgrades).hasValue(1);

        client.socket().sendClose(1000, "").get(10, TimeUnit.SECONDS);
        assertThat(client.closed().code()).isEqualTo(1000);
        await("the tunnel closed").atMost(5, TimeUnit.SECONDS).until(() ->
                gateway.junction().status().get(0).backends().get(0).tunnels() == 0);
    }

    @Test
    void aCloseFromEitherSideReachesTheOtherWithItsCode() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = gateway(backend.url(), TimeoutConfig.DEFAULT);

        WebSocketClient leaving = open(gateway);
        assertThat(leaving.sendText("hi")).isEqualTo("a: hi");
        leaving.socket().sendClose(4001, "done here").get(10, TimeUnit.SECONDS);
        assertThat(leaving.closed().code()).as("the backend's answering close").isEqualTo(4001);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(backend.lastCloseCode).hasValue(4001));

        WebSocketClient dismissed = open(gateway);
        dismissed.socket().sendText("close 4002 bye", true).get(10, TimeUnit.SECONDS);
        assertThat(dismissed.closed()).isEqualTo(new WebSocketClient.Closed(4002, "bye"));
        await("both tunnels closed").atMost(5, TimeUnit.SECONDS).until(() ->
                gateway.junction().status().get(0).backends().get(0).tunnels() == 0);
    }

    @Test
    void aTunnelCountsAsInFlightUntilItCloses() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = gateway(backend.url(), TimeoutConfig.DEFAULT);
        WebSocketClient client = open(gateway);
        assertThat(client.sendText("hi")).isEqualTo("a: hi");

        BackendStatus open = gateway.junction().status().get(0).backends().get(0);
        assertThat(open.inFlight()).isEqualTo(1);
        assertThat(open.tunnels()).isEqualTo(1);
        client.socket().sendClose(1000, "").get(10, TimeUnit.SECONDS);
        client.closed();
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                gateway.junction().status().get(0).backends().get(0).inFlight() == 0);
        assertThat(gateway.junction().status().get(0).backends().get(0).tunnels()).isZero();
    }

    @Test
    void aBackendKilledMidTunnelClosesTheClientsSocket() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = gateway(backend.url(), TimeoutConfig.DEFAULT);
        WebSocketClient client = open(gateway);
        assertThat(client.sendText("hi")).isEqualTo("a: hi");

        backend.close();
        assertThat(client.closed().code()).as("the connection dropped: no close frame came").isEqualTo(1006);
        await().atMost(5, TimeUnit.SECONDS).until(() ->
                gateway.junction().status().get(0).backends().get(0).inFlight() == 0);
    }

    @Test
    void aTunnelWithNothingMovingIsClosedAtItsIdleTimeout() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = gateway(backend.url(), TimeoutConfig.builder().tunnelIdle(Duration.ofMillis(300)).build());
        WebSocketClient client = open(gateway);
        assertThat(client.sendText("hi")).isEqualTo("a: hi");

        assertThat(client.closed().code()).isEqualTo(1006);
        await().atMost(5, TimeUnit.SECONDS).until(() -> backend.open.isEmpty());
    }

    @Test
    void anUpgradeTheBackendDeclinesIsAnsweredAsAnOrdinaryResponse() throws Exception {
        TestBackend plain = servers.add(TestBackend.start("plain"));
        Gateway gateway = gateway(plain.url(), TimeoutConfig.DEFAULT);

        assertThatThrownBy(() -> WebSocketClient.open(http, ws(gateway, "/status/426")))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(426));
        assertThat(plain.requests).as("the upgrade reached the backend, which answered it").hasValue(1);
    }
}
