package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/** A registry of the application's own, handed to Junction: recorded into, not served, and left clean at close. */
class HandedRegistryTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void junctionRecordsIntoItAndTakesItsMetersAwayWhenItCloses() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter own = registry.counter("application.orders");
        Gateway gateway = UndertowGateway.start(JunctionHandler.junctionBuilder().meterRegistry(registry),
                JunctionConfig.builder()
                        .route(RouteConfig.builder().name("api").prefix("/api")
                                .backend(BackendConfig.builder().id("a").url(a.url()).build()).build())
                        .admin(AdminConfig.at("/_junction"))
                        .build());
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(get(gateway, "/api/x").statusCode()).isEqualTo(200);
            }
            // An exchange is counted as its answer ends, a moment after the client has it.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                Timer requests = registry.find("junction.requests")
                        .tags("route", "api", "backend", "a", "status", "2xx", "outcome", "forwarded").timer();
                assertThat(requests).isNotNull();
                assertThat(requests.count()).isEqualTo(3);
            });
            assertThat(registry.find("junction.backend.available").tags("backend", "a").gauge().value())
                    .isEqualTo(1);

            HttpResponse<String> metrics = get(gateway, "/_junction/metrics");
            assertThat(metrics.statusCode()).as("not a Prometheus registry: published where the application does")
                    .isEqualTo(404);
        } finally {
            gateway.close();
        }
        assertThat(registry.getMeters()).containsExactly(own);
    }

    private HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
