package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ExchangeListener;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/** An exchange listener of one's own, with no metrics registry: told of every attempt and exchange. */
class ExchangeListenerTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void isToldOfEveryAttemptAndExchange() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        List<String> told = new CopyOnWriteArrayList<>();
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public void attemptEnded(String route, Backend backend, Outcome outcome, int status, long nanos) {
                told.add("attempt " + route + " " + outcome + " " + status);
            }

            @Override
            public void exchangeEnded(String route, int status, int attempts, long nanos) {
                told.add("exchange " + route + " " + status + " after " + attempts);
            }
        };
        Gateway gateway = servers.add(UndertowGateway.start(
                JunctionHandler.junctionBuilder().exchangeListener(listener),
                JunctionConfig.builder().route(RouteConfig.builder().name("api").prefix("/api").stripPrefix(true)
                        .backend(a.url()).build()).build()));

        assertThat(get(gateway, "/api/x").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/api/status/503").statusCode()).isEqualTo(503);
        assertThat(get(gateway, "/api/" + "t".repeat(9000)).statusCode()).isEqualTo(414);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(told).containsExactly(
                "attempt api SUCCEEDED 200", "exchange api 200 after 1",
                "attempt api FAILED_STATUS 503", "exchange api 503 after 1",
                "exchange api 414 after 0"));
        assertThat(gateway.junction().inFlight()).isZero();
    }

    private HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
