package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.ZoneAwareConfig;

/**
 * Zone-aware routing ({@code client.zone}, {@code routes[].zoneAware}): the gateway's own zone only, until too few of
 * its backends are healthy; then every zone; and back.
 */
public abstract class ZoneSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private Set<String> servedBy(Gateway gateway, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.uri("/x"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            seen.add(response.headers().firstValue("X-Backend").orElseThrow());
        }
        return seen;
    }

    private static BackendConfig in(TestBackend backend, String zone) {
        return BackendConfig.builder().url(backend.url()).id(backend.name).metadata("zone", zone).build();
    }

    @Test
    void theGatewaysZoneServesAloneUntilTooFewOfItsBackendsAreHealthyThenEveryZoneDoes() throws Exception {
        TestBackend a1 = servers.add(TestBackend.start("a1"));
        TestBackend a2 = servers.add(TestBackend.start("a2"));
        TestBackend b1 = servers.add(TestBackend.start("b1"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .client(ClientConfig.builder().zone("zone-a").build())
                .route(RouteConfig.builder().name("app").prefix("/").backend(in(a1, "zone-a"))
                        .backend(in(a2, "zone-a")).backend(in(b1, "zone-b"))
                        .zoneAware(new ZoneAwareConfig(true, 70, 0))
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMillis(200))
                                .startHealthy(true).unhealthyThreshold(1).healthyThreshold(1).build())
                        .build())
                .build()));

        assertThat(servedBy(gateway, 20)).containsExactlyInAnyOrder("a1", "a2");

        a1.healthStatus.set(503);
        await().atMost(Duration.ofSeconds(10)).until(() -> !gateway.junction().status().get(0).backends().get(0)
                .available());
        assertThat(servedBy(gateway, 20)).as("1 of 2 healthy in zone-a: below 70%, spilled")
                .containsExactlyInAnyOrder("a2", "b1");

        a1.healthStatus.set(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.junction().status().get(0).backends().get(0)
                .available());
        assertThat(servedBy(gateway, 20)).containsExactlyInAnyOrder("a1", "a2");
    }
}
