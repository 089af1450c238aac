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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;

/** What a client sees when backends refuse, hang, break or vanish, and that nothing hangs or leaks. */
public abstract class FailureHandlingSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private final HttpClient client = HttpClient.newHttpClient();
    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private <T extends AutoCloseable> T started(T server) {
        return servers.add(server);
    }

    private Gateway gateway(RouteConfig.Builder route) {
        return started(startGateway(JunctionConfig.builder().route(route.name("api").build()).build()));
    }

    private HttpResponse<String> get(Gateway gateway, String target) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(target)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedConnectionMovesTheRequestToTheNextBackendWhateverItsMethod() throws Exception {
        TestBackend good = started(TestBackend.start("good"));
        Gateway gateway = gateway(RouteConfig.builder().prefix("/")
                .backend("http://127.0.0.1:" + FaultyBackend.closedPort()).backend(good.url()));
        for (int i = 0; i < 4; i++) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(200);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(gateway.uri("/upload"))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            assertThat(post.body()).endsWith(" 5");
        }
        assertThat(good.requests).hasValue(8);
    }

    @Test
    void whenEveryBackendRefusesTheClientGets502NamingTheRoute() throws Exception {
        int[] closed = FaultyBackend.closedPorts(2);
        Gateway gateway = gateway(RouteConfig.builder().prefix("/")
                .backend("http://127.0.0.1:" + closed[0])
                .backend("http://127.0.0.1:" + closed[1]));
        HttpResponse<String> response = get(gateway, "/x");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("route 'api': no backend could be reached (request id "
                + response.headers().firstValue("X-Request-Id").orElseThrow() + ")\n");
    }

    @Test
    void whenNothingIsAvailableTheClientGets503WithRetryAfter() throws Exception {
        TestBackend backend = started(TestBackend.start("a"));
        Gateway gateway = gateway(RouteConfig.builder().prefix("/").backend(backend.url()));
        BackendPool pool = gateway.junction().routes().get(0).pool();
        for (Backend each : pool.all()) {
            pool.availability(each.id(), Availability.UNHEALTHY);
        }
        HttpResponse<String> response = get(gateway, "/x");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).isEqualTo("route 'api': no backend is available (request id "
                + response.headers().firstValue("X-Request-Id").orElseThrow() + ")\n");
        assertThat(backend.requests).hasValue(0);
    }

    @Test
    void garbageInsteadOfAResponseGets502() throws Exception {
        FaultyBackend garbage = started(new FaultyBackend(FaultyBackend.Fault.GARBAGE));
        Gateway gateway = gateway(RouteConfig.builder().prefix("/").backend(garbage.url()));
        HttpResponse<String> response = get(gateway, "/x");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("route 'api': backend sent no valid response (request id "
                + response.headers().firstValue("X-Request-Id").orElseThrow() + ")\n");
    }

    @Test
    void aBackendDyingMidBodyClosesTheClientConnectionInsteadOfFakingTheEnd() throws Exception {
        TestBackend backend = started(TestBackend.start("a"));
        Gateway gateway = gateway(RouteConfig.builder().prefix("/").backend(backend.url()));
        // With a Content-Length the client could tell a short body; without one (chunked), only the missing last
        // chunk tells, so the gateway must not send it.
        for (String target : new String[] {"/reset", "/reset?chunked"}) {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(gateway.uri(target)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).as(target).isEqualTo(200);
            assertThatThrownBy(() -> response.body().readAllBytes()).as(target).isInstanceOf(IOException.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.junction().inFlight() == 0);
        }
    }

    @Test
    void aClientThatGoesAwayCancelsTheBackendRequest() throws Exception {
        TestBackend backend = started(TestBackend.start("a"));
        Gateway gateway = gateway(RouteConfig.builder().prefix("/").backend(backend.url()));
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(gateway.uri("/sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        byte[] first = new byte[11];
        assertThat(response.body().readNBytes(first, 0, first.length)).isEqualTo(11);
        response.body().close();
        Backend state = gateway.junction().routes().get(0).pool().all().get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.junction().inFlight() == 0
                && state.state().inFlight() == 0);
    }

    @Test
    void closingLetsAnExchangeInFlightFinish() throws Exception {
        TestBackend backend = started(TestBackend.start("a"));
        Gateway gateway = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(backend.url()).build()).build());
        java.util.concurrent.CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(gateway.uri("/slow?ms=500")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.junction().inFlight() == 1);
        gateway.closeJunction();
        assertThat(slow.get().statusCode()).isEqualTo(200);
        assertThat(slow.get().body()).isEqualTo("slow a");
        gateway.close();
    }

    @Test
    void inFlightCountsAndOutcomesReachTheBackendState() throws Exception {
        TestBackend backend = started(TestBackend.start("a"));
        Gateway gateway = gateway(RouteConfig.builder().prefix("/").backend(backend.url()));
        assertThat(get(gateway, "/x").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/status/500").statusCode()).isEqualTo(500);
        Backend state = gateway.junction().routes().get(0).pool().all().get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> state.state().inFlight() == 0);
        assertThat(state.state().successes()).isEqualTo(1);
        assertThat(state.state().failures()).isEqualTo(1);
        assertThat(state.state().responseTimeNanos()).isPositive();
    }
}
