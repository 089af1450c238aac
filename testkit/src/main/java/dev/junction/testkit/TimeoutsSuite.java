package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;

/** Every route timeout against backends that hang or stall, and what the client gets. */
public abstract class TimeoutsSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private final HttpClient client = HttpClient.newHttpClient();
    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private Gateway gateway(JunctionConfig config) {
        return servers.add(startGateway(config));
    }

    private static JunctionConfig route(String backend, TimeoutConfig timeouts) {
        return JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(backend).timeouts(timeouts).build())
                .build();
    }

    @Test
    void aBackendThatNeverAnswersGets504AfterTheResponseTimeout() throws Exception {
        FaultyBackend hang = new FaultyBackend(FaultyBackend.Fault.HANG);
        servers.add(hang);
        Gateway gateway = gateway(route(hang.url(),
                TimeoutConfig.builder().response(Duration.ofMillis(300)).build()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("route 'api': backend did not answer in time (request id "
                + response.headers().firstValue("X-Request-Id").orElseThrow() + ")\n");
    }

    @Test
    void waitingTooLongForABusyConnectionGets503() throws Exception {
        TestBackend backend = TestBackend.start("a");
        servers.add(backend);
        Gateway gateway = gateway(JunctionConfig.builder()
                .client(ClientConfig.builder().maxConnectionsPerBackend(1).build())
                .route(RouteConfig.builder().name("api").prefix("/").backend(backend.url())
                        .timeouts(TimeoutConfig.builder().connect(Duration.ofMillis(300)).build()).build())
                .build());
        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(gateway.uri("/slow?ms=2000")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
        HttpResponse<String> waiting = client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        // Junction's own connection limit held the request back: 503, as HAProxy answers a queue timeout.
        assertThat(waiting.statusCode()).isEqualTo(503);
        assertThat(waiting.body()).isEqualTo("route 'api': every backend is at its connection limit (request id "
                + waiting.headers().firstValue("X-Request-Id").orElseThrow() + ")\n");
        assertThat(slow.get().statusCode()).isEqualTo(200);
    }

    @Test
    void aStallInTheMiddleOfTheBodyClosesTheClientConnectionAfterTheIdleTimeout() throws Exception {
        TestBackend backend = TestBackend.start("a");
        servers.add(backend);
        Gateway gateway = gateway(route(backend.url(),
                TimeoutConfig.builder().idle(Duration.ofMillis(300)).build()));
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(gateway.uri("/sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        byte[] first = response.body().readNBytes(11);
        assertThat(new String(first)).isEqualTo("data: one\n\n");
        // The backend is silent for a second: the idle timeout ends the exchange, and the client sees no clean end.
        assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
        assertThat(backend.secondEventWritten).isFalse();
    }

    @Test
    void theTotalTimeoutEndsAnExchangeThatKeepsGoing() throws Exception {
        TestBackend backend = TestBackend.start("a");
        servers.add(backend);
        Gateway gateway = gateway(route(backend.url(),
                TimeoutConfig.builder().total(Duration.ofMillis(500)).build()));
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(gateway.uri("/sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
        HttpResponse<String> slow = client.send(HttpRequest.newBuilder(gateway.uri("/slow?ms=1000")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slow.statusCode()).isEqualTo(504);
    }
}
