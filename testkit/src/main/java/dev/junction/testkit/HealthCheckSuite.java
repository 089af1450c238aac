package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.health.HealthListener;
import dev.junction.core.pool.Backend;
import dev.junction.core.route.Route;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.Reason;

/**
 * Active health checks against real backends whose health endpoint flips between 200 and 503: traffic leaves a
 * failing backend within interval × unhealthy threshold (+ the check timeout) and comes back after the healthy
 * threshold.
 */
public abstract class HealthCheckSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private static final Duration INTERVAL = Duration.ofMillis(100);

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private Gateway gateway(TestBackend a, TestBackend b) {
        return gateway(a, b, HealthCheckConfig.builder().path("/health").interval(INTERVAL));
    }

    private Gateway gateway(TestBackend a, TestBackend b, HealthCheckConfig.Builder check) {
        return servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(a.url()).backend(b.url())
                        .healthCheck(check.jitter(Duration.ofMillis(20)).timeout(Duration.ofMillis(500))
                                .healthyThreshold(2).unhealthyThreshold(2).build())
                        .build())
                .build()));
    }

    /** Sends {@code count} requests; returns how many each backend served, a then b. */
    private int[] spread(Gateway gateway, TestBackend a, TestBackend b, int count) throws Exception {
        int beforeA = a.requests.get();
        int beforeB = b.requests.get();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
        return new int[] {a.requests.get() - beforeA, b.requests.get() - beforeB};
    }

    @Test
    void trafficLeavesAFailingBackendAndComesBackWhenItRecovers() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = gateway(a, b);
        List<String> events = new CopyOnWriteArrayList<>();
        gateway.junction().addHealthListener(new HealthListener() {
            @Override
            public void healthy(Route route, Backend backend) {
                events.add(backend.id() + " healthy");
            }

            @Override
            public void unhealthy(Route route, Backend backend, String reason) {
                events.add(backend.id() + " unhealthy: " + reason);
            }
        });
        assertThat(spread(gateway, a, b, 4)).containsExactly(2, 2);

        b.healthStatus.set(503);
        // Two failed checks, 100-120 ms apart, plus the time for the second one to answer.
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 1);
        assertThat(events.get(0)).endsWith("unhealthy: status 503 (expected 200-399)");
        BackendStatus statusOfB = gateway.junction().status().get(0).backends().get(1);
        assertThat(statusOfB.reason()).isEqualTo(Reason.UNHEALTHY);
        assertThat(statusOfB.explanation()).isEqualTo("failed its active health check: status 503 (expected 200-399)");
        assertThat(spread(gateway, a, b, 6)).containsExactly(6, 0);

        b.healthStatus.set(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 2);
        assertThat(events.get(1)).endsWith(" healthy");
        assertThat(spread(gateway, a, b, 4)).containsExactly(2, 2);
        assertThat(b.healthCheckAgent).isEqualTo("Junction-HealthCheck");
    }

    @Test
    void aBackendThatFailsItsFirstCheckTakesNoTrafficFromTheStart() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        b.healthStatus.set(503);
        Gateway gateway = gateway(a, b);
        assertThat(spread(gateway, a, b, 4)).containsExactly(4, 0);
    }

    @Test
    void aCheckCanAskForTextInTheBodyAndRunOnDemand() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        a.healthBody = "{\"status\": \"ready\"}";
        b.healthBody = "{\"status\": \"starting\"}";
        // A long interval: only the first checks and the ones asked for run during the test.
        Gateway gateway = gateway(a, b, HealthCheckConfig.builder().path("/health").interval(Duration.ofMinutes(1))
                .expectedBody("regex:\"status\": *\"ready\"").header("User-Agent", "probe/1"));
        assertThat(spread(gateway, a, b, 4)).containsExactly(4, 0);
        Backend stateOfB = gateway.junction().routes().get(0).pool().all().get(1);
        assertThat(gateway.junction().health(stateOfB).lastError())
                .isEqualTo("body does not match regex:\"status\": *\"ready\"");

        b.healthBody = "{\"status\": \"ready\"}";
        gateway.junction().checkHealth().get(5, TimeUnit.SECONDS);
        assertThat(stateOfB.isAvailable()).as("one pass of the two the threshold asks").isFalse();
        gateway.junction().checkHealth().get(5, TimeUnit.SECONDS);
        assertThat(stateOfB.isAvailable()).isTrue();
        assertThat(spread(gateway, a, b, 4)).containsExactly(2, 2);
        assertThat(b.healthCheckAgent).isEqualTo("probe/1");
    }

    @Test
    void belowThePanicThresholdTrafficSpreadsOverEveryBackend() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        TestBackend c = servers.add(TestBackend.start("c"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(a.url()).backend(b.url())
                        .backend(c.url()).panicThreshold(50)
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(INTERVAL)
                                .jitter(Duration.ofMillis(20)).timeout(Duration.ofMillis(500))
                                .healthyThreshold(1).unhealthyThreshold(1).build())
                        .build())
                .build()));
        List<String> panics = new CopyOnWriteArrayList<>();
        gateway.junction().addHealthListener(new HealthListener() {
            @Override
            public void panic(Route route, boolean entered) {
                panics.add(route.name() + (entered ? " entered" : " left"));
            }
        });
        b.healthStatus.set(503);
        await().atMost(Duration.ofSeconds(2)).until(() -> !gateway.junction().routes().get(0).pool().all().get(1)
                .isAvailable());
        assertThat(panics).as("two of three healthy is above 50%").isEmpty();

        c.healthStatus.set(503);
        await().atMost(Duration.ofSeconds(2)).until(() -> panics.size() == 1);
        assertThat(panics).containsExactly("api entered");
        int[] before = {a.requests.get(), b.requests.get(), c.requests.get()};
        for (int i = 0; i < 6; i++) {
            client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(new int[] {a.requests.get() - before[0], b.requests.get() - before[1],
                c.requests.get() - before[2]}).containsExactly(2, 2, 2);

        b.healthStatus.set(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> panics.size() == 2);
        assertThat(panics).containsExactly("api entered", "api left");
    }

    @Test
    void aKilledBackendIsTakenOutByItsChecks() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = TestBackend.start("b");
        Gateway gateway = gateway(a, b);
        Backend stateOfB = gateway.junction().routes().get(0).pool().all().get(1);
        b.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> !stateOfB.isAvailable());
        assertThat(gateway.junction().health(stateOfB).lastError()).startsWith("ConnectException");
        int before = a.requests.get();
        for (int i = 0; i < 4; i++) {
            assertThat(client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        assertThat(a.requests.get() - before).isEqualTo(4);
    }
}
