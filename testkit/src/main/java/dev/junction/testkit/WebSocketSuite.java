package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.BackendConfig;
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

    private static final int TUNNELS = 1000;
    private static final int HANDSHAKES_AT_ONCE = 50;

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
        await("the tunnel held for the upgrade given back").atMost(5, TimeUnit.SECONDS).until(() ->
                gateway.junction().status().get(0).backends().get(0).tunnels() == 0);
    }

    @Test
    void aBackendAtItsTunnelLimitIsPassedOverAndAnUpgradeNoneCanTakeIsRefused() throws Exception {
        WebSocketBackend a = servers.add(WebSocketBackend.start("a"));
        WebSocketBackend b = servers.add(WebSocketBackend.start("b"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("ws").prefix("/")
                        .backend(BackendConfig.builder().url(a.url()).maxTunnels(1).build())
                        .backend(BackendConfig.builder().url(b.url()).maxTunnels(1).build())
                        .build())
                .build()));
        WebSocketClient first = open(gateway);
        WebSocketClient second = open(gateway);
        String firstName = (String) first.sendText("name?");
        assertThat(List.of(firstName, second.sendText("name?"))).containsExactlyInAnyOrder("a", "b");

        assertThatThrownBy(() -> WebSocketClient.open(http, ws(gateway, "/chat")))
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(503));
        HttpResponse<String> ordinary = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/page")).build(), BodyHandlers.ofString());
        assertThat(ordinary.statusCode()).as("the limit is on tunnels only").isEqualTo(200);
        assertThat(gateway.junction().status().get(0).backends()).extracting(BackendStatus::tunnels)
                .containsExactly(1, 1);

        first.socket().sendClose(1000, "").get(10, TimeUnit.SECONDS);
        first.closed();
        await("the tunnel closed").atMost(5, TimeUnit.SECONDS).until(() -> gateway.junction().status().get(0)
                .backends().stream().mapToInt(BackendStatus::tunnels).sum() == 1);
        assertThat(open(gateway).sendText("name?")).as("the freed place").isEqualTo(firstName);
    }

    @Test
    void aProtocolTheRouteNamesIsTunnelledAndOneItDoesNotIsAnOrdinaryRequest() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("echo").prefix("/echo").backend(backend.url())
                        .upgrades(List.of("websocket", WebSocketBackend.ECHO_PROTOCOL)).build())
                .route(RouteConfig.builder().name("plain").prefix("/plain").backend(backend.url()).build())
                .build()));

        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                    + "Upgrade: x-echo/1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = head(in);
            assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("\r\nupgrade: x-echo");
            out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping\n");
            assertThat(gateway.junction().status().get(0).backends().get(0).tunnels()).isEqualTo(1);
            socket.shutdownOutput();
            assertThat(in.read()).as("the backend ended the echo").isEqualTo(-1);
        }
        await("the tunnel closed").atMost(5, TimeUnit.SECONDS).until(() ->
                gateway.junction().status().get(0).backends().get(0).tunnels() == 0);

        assertThat(exchange(gateway, "GET /plain HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                + "Upgrade: x-echo\r\n\r\n")).as("a protocol the route does not name")
                .startsWith("HTTP/1.1 200").endsWith("plain");
        assertThat(exchange(gateway, "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                + "Upgrade: x-echo\r\nContent-Length: 3\r\n\r\nabc")).as("an upgrade with a body")
                .startsWith("HTTP/1.1 200").endsWith("plain");
        assertThat(backend.upgrades).hasValue(1);
    }

    @Test
    void aThousandConcurrentTunnelsEachEchoWithoutAThreadEach() throws Exception {
        WebSocketBackend backend = servers.add(WebSocketBackend.start("a"));
        Gateway gateway = gateway(backend.url(), TimeoutConfig.DEFAULT);
        int threadsBefore = Thread.activeCount();
        // The handshakes in batches, so a thousand do not take a thousand round trips one after another.
        List<WebSocketClient> clients = new ArrayList<>();
        for (int batch = 0; batch < TUNNELS; batch += HANDSHAKES_AT_ONCE) {
            List<CompletableFuture<WebSocketClient>> opening = new ArrayList<>();
            for (int i = batch; i < Math.min(TUNNELS, batch + HANDSHAKES_AT_ONCE); i++) {
                opening.add(WebSocketClient.openAsync(http, ws(gateway, "/chat")));
            }
            for (CompletableFuture<WebSocketClient> handshake : opening) {
                WebSocketClient client = handshake.get(20, TimeUnit.SECONDS);
                servers.add(client::close);
                clients.add(client);
            }
        }
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < TUNNELS; i++) {
            sent.add(clients.get(i).socket().sendText("n" + i, true));
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
        for (int i = 0; i < TUNNELS; i++) {
            assertThat(clients.get(i).next()).isEqualTo("a: n" + i);
        }
        assertThat(backend.open).hasSize(TUNNELS);
        assertThat(gateway.junction().status().get(0).backends().get(0).tunnels()).isEqualTo(TUNNELS);
        assertThat(Thread.activeCount() - threadsBefore).as("threads started while %d tunnels opened", TUNNELS)
                .isLessThan(TUNNELS / 4);
        whileThousandOpen(gateway);

        for (WebSocketClient client : clients) {
            client.socket().sendClose(1000, "");
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                gateway.junction().status().get(0).backends().get(0).tunnels() == 0);
    }

    /**
     * Checks what the setup can tell of {@code gateway} while a thousand idle tunnels are open through it, such as
     * the buffers its server holds; nothing by default.
     */
    protected void whileThousandOpen(Gateway gateway) {
    }

    /** Sends one request on a connection of its own and returns its response: the head and a Content-Length body. */
    private static String exchange(Gateway gateway, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = head(in);
            Matcher length = Pattern.compile("(?im)^content-length: *([0-9]+)").matcher(head);
            int bytes = length.find() ? Integer.parseInt(length.group(1)) : 0;
            return head + new String(in.readNBytes(bytes), StandardCharsets.US_ASCII);
        }
    }

    /** Reads a response head up to its blank line. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed in the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
