package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.BreakerState;

/**
 * A client's fault, or Junction's own limit, never counts against a backend: a client that resets mid-download,
 * breaks off or stalls its upload, or stops reading, and a request that waited for one of a backend's busy
 * connections, leave the backend's failures, its outlier-detection record and its breaker as they were, however
 * often it happens. The route here is as strict as it gets: one failure ejects a backend, one opens its breaker.
 */
public abstract class ClientFaultSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private Gateway strictGateway() {
        return strictGateway(TimeoutConfig.DEFAULT);
    }

    private Gateway strictGateway(TimeoutConfig timeouts) {
        return strictGateway(timeouts, ClientConfig.DEFAULT);
    }

    private Gateway strictGateway(TimeoutConfig timeouts, ClientConfig client) {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        return servers.add(startGateway(JunctionConfig.builder().client(client)
                .route(RouteConfig.builder().name("api").prefix("/").backend(a.url()).backend(b.url())
                        .timeouts(timeouts)
                        .outlierDetection(OutlierDetectionConfig.builder().consecutive5xx(1)
                                .consecutiveConnectFailures(1).baseEjectionTime(Duration.ofMinutes(1)).build())
                        .circuitBreaker(BreakerConfig.builder().consecutiveFailures(1).delay(Duration.ofMinutes(1))
                                .build())
                        .build())
                .build()));
    }

    /** Waits for every exchange to end, then checks that no backend was held to account for any of them. */
    private void assertNothingCounted(Gateway gateway) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> backends(gateway).stream()
                .allMatch(backend -> backend.inFlight() == 0));
        for (BackendStatus backend : backends(gateway)) {
            assertThat(backend.failures()).as("failures of %s", backend.id()).isZero();
            assertThat(backend.available()).as("%s available (%s)", backend.id(), backend.explanation()).isTrue();
            assertThat(backend.ejectedUntil()).as("%s ejected", backend.id()).isNull();
            // A breaker is made on its backend's first request: none, or a closed one.
            assertThat(backend.breaker()).as("breaker of %s", backend.id()).isIn(null, BreakerState.CLOSED);
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/after")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    private static List<BackendStatus> backends(Gateway gateway) {
        return gateway.junction().status().get(0).backends();
    }

    /** What a client does on its connection before it resets it. */
    @FunctionalInterface
    private interface ClientAct {
        void on(Socket socket) throws IOException;
    }

    /** {@code count} clients one after the other each connect, {@code act} on their connection and close it. */
    private static void clients(Gateway gateway, int count, ClientAct act) throws IOException {
        for (int i = 0; i < count; i++) {
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                socket.setSoTimeout(10_000);
                act.on(socket);
            }
        }
    }

    /** Four clients each connect, {@code act}, and close with a reset, as a client that crashes or gives up does. */
    private static void clientsThatReset(Gateway gateway, ClientAct act) throws IOException {
        clients(gateway, 4, socket -> {
            act.on(socket);
            socket.setSoLinger(true, 0);
        });
    }

    /** Reads a response head, up to its blank line; what the socket's timeout lets arrive. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                break;
            }
        }
        return head.toString();
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aClientThatResetsMidDownloadCountsNothingAgainstTheBackend() throws Exception {
        Gateway gateway = strictGateway();

        clientsThatReset(gateway, socket -> {
            send(socket, "GET /download?size=67108864 HTTP/1.1\r\nHost: junction.test\r\n\r\n");
            assertThat(socket.getInputStream().readNBytes(200_000)).hasSize(200_000);
        });

        assertNothingCounted(gateway);
    }

    @Test
    void aClientThatBreaksOffItsUploadCountsNothingAgainstTheBackend() throws Exception {
        Gateway gateway = strictGateway();

        clientsThatReset(gateway, socket -> {
            send(socket, "POST /upload HTTP/1.1\r\nHost: junction.test\r\nContent-Length: 67108864\r\n\r\n");
            socket.getOutputStream().write(new byte[256 * 1024]);
        });

        assertNothingCounted(gateway);
    }

    @Test
    void aClientThatBreaksOffAChunkedUploadCountsNothingAgainstTheBackend() throws Exception {
        Gateway gateway = strictGateway();

        clientsThatReset(gateway, socket -> {
            send(socket, "POST /upload HTTP/1.1\r\nHost: junction.test\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            for (int chunk = 0; chunk < 16; chunk++) {
                send(socket, "4000\r\n");
                out.write(new byte[0x4000]);
                send(socket, "\r\n");
            }
        });

        assertNothingCounted(gateway);
    }

    @Test
    void aClientThatStallsItsUploadGets408AndCountsNothingAgainstTheBackend() throws Exception {
        Gateway gateway = strictGateway(TimeoutConfig.builder().idle(Duration.ofMillis(300)).build());

        clients(gateway, 4, socket -> {
            send(socket, "POST /upload HTTP/1.1\r\nHost: junction.test\r\nContent-Length: 1048576\r\n\r\n");
            socket.getOutputStream().write(new byte[10_000]);
            // Then nothing more: the backend waits for the rest past the idle timeout.
            String head = readHead(socket.getInputStream());
            assertThat(RawHttp.status(head)).as(head).isEqualTo(408);
        });

        assertNothingCounted(gateway);
    }

    @Test
    void aClientThatStopsReadingIsCutOffAndCountsNothingAgainstTheBackend() throws Exception {
        Gateway gateway = strictGateway(TimeoutConfig.builder().idle(Duration.ofMillis(300)).build());

        clients(gateway, 2, socket -> {
            send(socket, "GET /download?size=67108864 HTTP/1.1\r\nHost: junction.test\r\n\r\n");
            assertThat(socket.getInputStream().readNBytes(100_000)).hasSize(100_000);
            // Then no more reading: the proxy's writes back up, and the backend idles past the timeout.
            await().atMost(Duration.ofSeconds(10)).until(() -> backends(gateway).stream()
                    .allMatch(backend -> backend.inFlight() == 0));
        });

        assertNothingCounted(gateway);
    }

    @Test
    void aClientThatClosesWhileTheBackendThinksIsNoticedAtOnce() throws Exception {
        Gateway gateway = strictGateway();

        leaveWhileTheBackendThinks(gateway, "GET " + thinkingTarget(gateway) + " HTTP/1.1\r\n"
                + "Host: junction.test\r\n\r\n", false);

        assertNothingCounted(gateway);
    }

    @Test
    void aClientThatResetsAfterItsWholeUploadWhileTheBackendThinksIsNoticedAtOnce() throws Exception {
        Gateway gateway = strictGateway();

        leaveWhileTheBackendThinks(gateway, "POST " + thinkingTarget(gateway) + " HTTP/1.1\r\nHost: junction.test\r\n"
                + "Content-Length: 5\r\n\r\nhello", true);

        assertNothingCounted(gateway);
    }

    /**
     * Twice, one client after the other: sends {@code request}, waits until the backend has it, and closes its
     * connection (with a reset if asked); the exchange must then end.
     */
    private static void leaveWhileTheBackendThinks(Gateway gateway, String request, boolean reset) throws IOException {
        for (int i = 0; i < 2; i++) {
            try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                send(socket, request);
                awaitInFlight(gateway, 1);
                if (reset) {
                    socket.setSoLinger(true, 0);
                }
            }
            awaitInFlight(gateway, 0);
        }
    }

    /**
     * A request the backend thinks about for 30 s, well inside the 60 s read timeout, so that only noticing the
     * client's close ends the exchange in time; where the adapter learns of it only when it writes the response, one
     * it thinks about for a second, and the write to the gone client must count nothing either.
     */
    private static String thinkingTarget(Gateway gateway) {
        return gateway.noticesAClientThatLeavesWhileTheBackendThinks() ? "/slow?ms=30000" : "/slow?ms=1000";
    }

    /** Waits, at most 5 s, until the route's backends have {@code count} requests in flight between them. */
    private static void awaitInFlight(Gateway gateway, int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> backends(gateway).stream()
                .mapToInt(BackendStatus::inFlight).sum() == count);
    }

    @Test
    void anUploadTheBackendRefusesBeforeReadingItEndsCleanly() throws Exception {
        // A backend that answers 413 on the request's head, then reads and discards the body it refused.
        ScriptedBackend refusing = servers.add(new ScriptedBackend((request, out, socket) -> ScriptedBackend.write(
                out, "HTTP/1.1 413 Content Too Large\r\nContent-Length: 8\r\n\r\nrefused\n"), true));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(refusing.url())
                        .outlierDetection(OutlierDetectionConfig.builder().consecutive5xx(1)
                                .consecutiveConnectFailures(1).baseEjectionTime(Duration.ofMinutes(1)).build())
                        .circuitBreaker(BreakerConfig.builder().consecutiveFailures(1).delay(Duration.ofMinutes(1))
                                .build())
                        .build())
                .build()));

        clients(gateway, 3, socket -> {
            send(socket, "POST /upload HTTP/1.1\r\nHost: junction.test\r\nContent-Length: 4194304\r\n\r\n");
            socket.getOutputStream().write(new byte[64 * 1024]);
            // The backend answers without reading the body; the rest of the upload is never sent.
            String head = readHead(socket.getInputStream());
            assertThat(RawHttp.status(head)).as(head).isEqualTo(413);
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> backends(gateway).get(0).inFlight() == 0);
        BackendStatus backend = backends(gateway).get(0);
        assertThat(backend.failures()).isZero();
        assertThat(backend.available()).as(backend.explanation()).isTrue();
    }

    @Test
    void aWaitForABusyConnectionPastTheConnectTimeoutIsJunctionsLimitNotTheBackends() throws Exception {
        Gateway gateway = strictGateway(TimeoutConfig.builder().connect(Duration.ofMillis(300)).build(),
                ClientConfig.builder().maxConnectionsPerBackend(1).build());

        // Round-robin: the first two take each backend's one connection for 1.5 s; the other two wait for one on
        // either backend in turn, past the connect timeout each time.
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(gateway.uri("/slow?ms=1500"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            if (i == 1) {
                await().atMost(Duration.ofSeconds(5)).until(() -> backends(gateway).stream()
                        .allMatch(backend -> backend.inFlight() == 1));
            }
        }
        List<String> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(10, TimeUnit.SECONDS);
            answers.add(response.statusCode() + " "
                    + response.body().strip().replaceAll(" \\(request id \\w+\\)$", ""));
        }

        assertThat(answers).containsExactlyInAnyOrder("200 slow a", "200 slow b",
                "503 route 'api': every backend is at its connection limit",
                "503 route 'api': every backend is at its connection limit");
        assertNothingCounted(gateway);
    }

    @Test
    void aRequestHeadUpToTheConfiguredLimitReachesTheBackend() throws Exception {
        Gateway gateway = strictGateway();
        // 24 KiB of fields: over the 8 KiB that HTTP clients and servers often allow, under Junction's 32 KiB.
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/echo"));
        String value = "v".repeat(4000);
        for (int i = 0; i < 6; i++) {
            request.header("X-Large-" + i, value);
        }

        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().toLowerCase(Locale.ROOT)).contains("x-large-5: " + value);
        assertNothingCounted(gateway);
    }
}
