package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.Reason;

/** Passive health: real traffic ejects a backend that keeps failing, for a while, then lets it back. */
public abstract class OutlierDetectionSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private int get(Gateway gateway) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void aBackendAnswering5xxIsEjectedAndComesBackAfterTheEjectionTime() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        b.failWith.set(503);
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(a.url()).backend(b.url())
                        .outlierDetection(OutlierDetectionConfig.builder().consecutive5xx(2)
                                .baseEjectionTime(Duration.ofMillis(400)).maxEjectionTime(Duration.ofSeconds(5))
                                .build())
                        .build())
                .build()));
        Backend stateOfB = gateway.junction().routes().get(0).pool().all().get(1);

        // Round-robin: a, b, a, b; b's second 503 ejects it, then everything goes to a.
        int failures = 0;
        for (int i = 0; i < 10; i++) {
            failures += get(gateway) == 503 ? 1 : 0;
        }
        assertThat(failures).isEqualTo(2);
        assertThat(b.requests).hasValue(2);
        assertThat(stateOfB.isAvailable()).isFalse();
        BackendStatus statusOfB = gateway.junction().status().get(0).backends().get(1);
        assertThat(statusOfB.reason()).isEqualTo(Reason.EJECTED);
        assertThat(statusOfB.ejectedUntil()).isNotNull();
        assertThat(statusOfB.explanation()).startsWith("ejected by outlier detection until ");

        b.failWith.set(0);
        await().atMost(Duration.ofSeconds(3)).until(stateOfB::isAvailable);
        for (int i = 0; i < 4; i++) {
            assertThat(get(gateway)).isEqualTo(200);
        }
        assertThat(b.requests.get()).isGreaterThan(2);
    }

    @Test
    void aBackendMuchSlowerThanTheOthersIsEjected() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        TestBackend slow = servers.add(TestBackend.withDelay("slow", 150));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(a.url()).backend(b.url())
                        .backend(slow.url())
                        .outlierDetection(OutlierDetectionConfig.builder().consecutive5xx(0)
                                .consecutiveConnectFailures(0).latencyPercentOfMedian(500)
                                .baseEjectionTime(Duration.ofSeconds(30)).build())
                        .build())
                .build()));
        Backend stateOfSlow = gateway.junction().routes().get(0).pool().all().get(2);
        // Each backend gets measured; a look at the averages comes at most once a second, after a request ends.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            get(gateway);
            return !stateOfSlow.isAvailable();
        });
        int before = slow.requests.get();
        for (int i = 0; i < 6; i++) {
            assertThat(get(gateway)).isEqualTo(200);
        }
        assertThat(slow.requests.get()).isEqualTo(before);
    }
}
