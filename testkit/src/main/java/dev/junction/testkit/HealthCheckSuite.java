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
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.SlowStartConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
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
    private static final Duration JITTER = Duration.ofMillis(20);
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /**
     * How soon two checks in a row (both thresholds of {@link #gateway(TestBackend, TestBackend)}) notice a change:
     * up to two intervals with their jitter, plus a check's timeout; and scheduling slack for a shared machine.
     */
    private static final Duration TWO_CHECKS = INTERVAL.plus(JITTER).multipliedBy(2).plus(TIMEOUT)
            .plus(Duration.ofMillis(300));

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private Gateway gateway(TestBackend a, TestBackend b) {
        return gateway(a, b, HealthCheckConfig.builder().path("/health").interval(INTERVAL));
    }

    private Gateway gateway(TestBackend a, TestBackend b, HealthCheckConfig.Builder check) {
        return servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(a.url()).backend(b.url())
                        .healthCheck(check.jitter(JITTER).timeout(TIMEOUT).healthyThreshold(2).unhealthyThreshold(2)
                                .build())
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
            public void healthy(String route, Backend backend) {
                events.add(backend.id() + " healthy");
            }

            @Override
            public void unhealthy(String route, Backend backend, String reason) {
                events.add(backend.id() + " unhealthy: " + reason);
            }
        });
        assertThat(spread(gateway, a, b, 4)).containsExactly(2, 2);

        b.healthStatus.set(503);
        // Traffic leaves within interval × unhealthy threshold (+ the check's timeout).
        await().atMost(TWO_CHECKS).until(() -> events.size() == 1);
        assertThat(events.get(0)).endsWith("unhealthy: status 503 (expected 200-399)");
        BackendStatus statusOfB = gateway.junction().status().get(0).backends().get(1);
        assertThat(statusOfB.reason()).isEqualTo(Reason.UNHEALTHY);
        assertThat(statusOfB.explanation()).isEqualTo("failed its active health check: status 503 (expected 200-399)");
        assertThat(spread(gateway, a, b, 6)).containsExactly(6, 0);

        b.healthStatus.set(200);
        // ... and comes back within interval × healthy threshold (+ the timeout).
        await().atMost(TWO_CHECKS).until(() -> events.size() == 2);
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
        assertThat(lastCheckErrorOfB(gateway))
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
            public void panic(String route, boolean entered) {
                panics.add(route + (entered ? " entered" : " left"));
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
    void aKilledBackendIsTakenOutByItsChecksAndComesBackWhenRestarted() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = TestBackend.start("b");
        Gateway gateway = gateway(a, b);
        Backend stateOfB = gateway.junction().routes().get(0).pool().all().get(1);
        b.close();
        await().atMost(TWO_CHECKS).until(() -> !stateOfB.isAvailable());
        assertThat(lastCheckErrorOfB(gateway)).startsWith("ConnectException");
        assertThat(spread(gateway, a, b, 4)).containsExactly(4, 0);

        TestBackend restarted = servers.add(b.restarted());
        await().atMost(TWO_CHECKS).until(stateOfB::isAvailable);
        assertThat(spread(gateway, a, restarted, 4)).containsExactly(2, 2);
    }

    @Test
    void aCheckOfOnesOwnDecidesInsteadOfTheHttpRequest() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = TestBackend.start("b");
        a.healthStatus.set(503);
        b.healthStatus.set(503);
        Gateway gateway = gateway(a, b, HealthCheckConfig.builder().check("tcp").interval(INTERVAL));
        assertThat(spread(gateway, a, b, 4)).as("the custom check only connects").containsExactly(2, 2);
        assertThat(a.healthChecks.get() + b.healthChecks.get()).isZero();

        Backend stateOfB = gateway.junction().routes().get(0).pool().all().get(1);
        b.close();
        await().atMost(Duration.ofSeconds(2)).until(() -> !stateOfB.isAvailable());
        assertThat(lastCheckErrorOfB(gateway)).startsWith("cannot connect to");
        assertThat(gateway.junction().status().get(0).backends().get(1).explanation())
                .startsWith("failed its active health check: cannot connect to");
    }

    @Test
    void aBackendsOwnCheckReplacesItsRoutes() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        a.healthStatus.set(503);
        b.healthStatus.set(503);
        HealthCheckConfig check = HealthCheckConfig.builder().path("/health").interval(INTERVAL)
                .jitter(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).healthyThreshold(1)
                .unhealthyThreshold(1).build();
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").healthCheck(check)
                        .backend(BackendConfig.builder().url(a.url()).healthCheck(HealthCheckConfig.NONE).build())
                        .backend(BackendConfig.builder().url(b.url())
                                .healthCheck(check.toBuilder().expectedStatuses("503").build()).build())
                        .build())
                .build()));
        assertThat(spread(gateway, a, b, 4)).containsExactly(2, 2);
        assertThat(a.healthChecks.get()).as("a is not checked").isZero();

        b.healthStatus.set(200);
        Backend stateOfB = gateway.junction().routes().get(0).pool().all().get(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> !stateOfB.isAvailable());
        assertThat(lastCheckErrorOfB(gateway)).isEqualTo("status 200 (expected 503)");
        assertThat(spread(gateway, a, b, 4)).containsExactly(4, 0);
    }

    @Test
    void aBackendThatComesBackRampsUpOverTheSlowStartWindow() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(a.url()).backend(b.url())
                        .slowStart(new SlowStartConfig(Duration.ofSeconds(3), 10))
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(INTERVAL)
                                .jitter(Duration.ofMillis(20)).timeout(Duration.ofMillis(500))
                                .healthyThreshold(1).unhealthyThreshold(1).build())
                        .build())
                .build()));
        AtomicLong back = new AtomicLong();
        gateway.junction().addHealthListener(new HealthListener() {
            @Override
            public void healthy(String route, Backend backend) {
                back.set(System.nanoTime());
            }
        });
        b.healthStatus.set(503);
        Backend stateOfB = gateway.junction().routes().get(0).pool().all().get(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> !stateOfB.isAvailable());
        b.healthStatus.set(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> back.get() != 0);

        // Round-robin over two: b's share grows from about 10% / 1.1 towards 50% over the 3 s window.
        int[][] buckets = new int[4][2];
        for (int i = 0; i < 50_000; i++) {
            long elapsed = System.nanoTime() - back.get();
            if (elapsed > TimeUnit.MILLISECONDS.toNanos(4000)) {
                break;
            }
            int bucket = (int) Math.min(3, elapsed / TimeUnit.MILLISECONDS.toNanos(1000));
            int before = b.requests.get();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            buckets[bucket][0]++;
            buckets[bucket][1] += b.requests.get() - before;
        }
        double[] share = new double[4];
        for (int i = 0; i < 4; i++) {
            assertThat(buckets[i][0]).as("requests in second %d", i).isGreaterThan(30);
            share[i] = (double) buckets[i][1] / buckets[i][0];
        }
        assertThat(share[0]).as("first second").isLessThan(0.3);
        assertThat(share[2]).as("third second").isGreaterThan(share[0] + 0.1);
        assertThat(share[3]).as("after the window").isGreaterThan(0.45);
    }

    private static String lastCheckErrorOfB(Gateway gateway) {
        return gateway.junction().status().get(0).backends().get(1).lastCheckError();
    }
}
