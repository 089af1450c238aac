package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.Breaker;
import dev.junction.core.Route;
import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.FallbackConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.status.BreakerState;
import dev.junction.core.status.Reason;

/**
 * Circuit breakers, fallbacks and retries against real backends that fail on command: answer 5xx, answer 503 a few
 * times and then 200, close the connection without answering, take too long, or refuse connections.
 */
public abstract class ResilienceSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private static final String ATTEMPTS = "X-Junction-Attempts";

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private Gateway gateway(RouteConfig.Builder route) {
        return servers.add(startGateway(JunctionConfig.builder().route(route.name("api").prefix("/").build())
                .build()));
    }

    private HttpResponse<String> get(Gateway gateway, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(Gateway gateway, String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> breakerEvents(Gateway gateway) {
        List<String> events = new CopyOnWriteArrayList<>();
        gateway.junction().addHealthListener(new HealthListener() {
            @Override
            public void breaker(String route, Backend backend, BreakerState state) {
                events.add(state.name());
            }
        });
        return events;
    }

    @Test
    void anOpenBreakerServesTheFallbackThenLetsExactlyItsTrialsThroughAndCloses() throws Exception {
        TestBackend b = servers.add(TestBackend.start("b"));
        b.failWith.set(502);
        Gateway gateway = gateway(RouteConfig.builder().backend(b.url())
                .circuitBreaker(BreakerConfig.builder().consecutiveFailures(3).delay(Duration.ofMillis(600))
                        .halfOpenTrials(2).successesToClose(2).build())
                .fallback(FallbackConfig.of(503, "down for a moment\n").withHeader("Retry-After", "7")));
        List<String> events = breakerEvents(gateway);

        for (int i = 0; i < 3; i++) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(502);
        }
        HttpResponse<String> fallback = get(gateway, "/x");
        assertThat(fallback.statusCode()).isEqualTo(503);
        assertThat(fallback.body()).isEqualTo("down for a moment\n");
        assertThat(fallback.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(b.requests).as("the open breaker keeps requests from the backend").hasValue(3);
        assertThat(events).containsExactly("OPEN");
        assertThat(gateway.junction().status().get(0).backends().get(0).reason()).isEqualTo(Reason.BREAKER_OPEN);

        b.failWith.set(0);
        await().atMost(Duration.ofSeconds(3)).until(() -> events.contains("HALF_OPEN"));
        // Four requests at once while half-open: the two trials reach the backend, the others get the fallback.
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(gateway.uri("/slow?ms=700"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            statuses.add(call.get(10, TimeUnit.SECONDS).statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 200, 503, 503);
        assertThat(b.requests).hasValue(5);
        await().atMost(Duration.ofSeconds(2)).until(() -> events.contains("CLOSED"));
        assertThat(events).containsExactly("OPEN", "HALF_OPEN", "CLOSED");
        assertThat(get(gateway, "/x").statusCode()).isEqualTo(200);
    }

    @Test
    void breakersNeverCutOffMoreThanTheirShareOfARoute() throws Exception {
        RouteConfig.Builder route = RouteConfig.builder()
                .circuitBreaker(BreakerConfig.builder().consecutiveFailures(1).delay(Duration.ofMinutes(1))
                        .maxOpenPercent(50).build());
        List<TestBackend> backends = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            TestBackend backend = servers.add(TestBackend.start(name));
            backend.failWith.set(503);
            backends.add(backend);
            route.backend(backend.url());
        }
        Gateway gateway = gateway(route);
        List<String> events = breakerEvents(gateway);

        // A burst that fails everywhere: each breaker would open at its first failure.
        for (int i = 0; i < 20; i++) {
            get(gateway, "/x");
        }

        assertThat(events).as("two of four breakers open, no more").containsExactly("OPEN", "OPEN");
        long open = gateway.junction().status().get(0).backends().stream()
                .filter(backend -> backend.reason() == Reason.BREAKER_OPEN).count();
        assertThat(open).isEqualTo(2);
        assertThat(backends.stream().mapToInt(backend -> backend.requests.get()).sum())
                .as("the backends kept closed still take the traffic").isEqualTo(20);
    }

    @Test
    void anOpenBreakerTakesItsBackendOutOfSelectionAndAnOperatorCanHoldIt() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        b.failWith.set(503);
        Gateway gateway = gateway(RouteConfig.builder().backend(a.url()).backend(b.url())
                .circuitBreaker(BreakerConfig.builder().consecutiveFailures(2).delay(Duration.ofMinutes(1)).build()));
        for (int i = 0; i < 10; i++) {
            get(gateway, "/x");
        }
        assertThat(b.requests).as("two failures open the breaker; the strategy then skips b").hasValue(2);
        assertThat(a.requests).hasValue(8);

        Route route = gateway.junction().routes().get(0);
        Breaker breakerOfB = route.breaker(route.pool().all().get(1));
        b.failWith.set(0);
        breakerOfB.forceClosed();
        for (int i = 0; i < 4; i++) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(200);
        }
        assertThat(b.requests).hasValue(4);
        Breaker breakerOfA = route.breaker(route.pool().all().get(0));
        breakerOfA.forceOpen();
        for (int i = 0; i < 4; i++) {
            get(gateway, "/x");
        }
        assertThat(a.requests).as("held open").hasValue(10);
        assertThat(gateway.junction().status().get(0).backends().get(0).explanation())
                .isEqualTo("its circuit breaker is held open by an operator");
        breakerOfA.automatic();
        get(gateway, "/x");
        get(gateway, "/x");
        assertThat(a.requests).hasValue(11);
    }

    @Test
    void a503IsRetriedUntilItSucceedsAndTheAttemptsAreTold() throws Exception {
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = gateway(RouteConfig.builder().backend(b.url())
                .retries(RetryConfig.builder().maxAttempts(3).retryStatuses("503")
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).attemptsHeader(true).build()));
        b.failNext(2, 503);
        HttpResponse<String> response = get(gateway, "/x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(ATTEMPTS)).hasValue("3");
        assertThat(b.requests).hasValue(3);

        b.failNext(5, 503);
        HttpResponse<String> exhausted = get(gateway, "/x");
        assertThat(exhausted.statusCode()).as("the last failure, as the backend sent it").isEqualTo(503);
        assertThat(exhausted.headers().firstValue(ATTEMPTS)).hasValue("3");
        assertThat(b.requests).hasValue(6);
    }

    @Test
    void aRetriedStatusCountsOnTheBreakerOnlyIfItIsOneOfItsFailures() throws Exception {
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = gateway(RouteConfig.builder().backend(b.url())
                .circuitBreaker(BreakerConfig.builder().consecutiveFailures(2).build())
                .retries(RetryConfig.builder().maxAttempts(3).retryStatuses("429,503")
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).build()));
        List<String> events = breakerEvents(gateway);
        b.failWith.set(429);
        for (int i = 0; i < 3; i++) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(429);
        }
        assertThat(b.requests).hasValue(9);
        assertThat(events).as("429 is retried, but is not among the breaker's failure statuses").isEmpty();

        b.failWith.set(503);
        assertThat(get(gateway, "/x").statusCode()).isEqualTo(503);
        // The breaker hears of an attempt when its exchange ends, which may be just after the client's answer.
        await("the breaker opened").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(events).as("two retried 503s in a row open it").containsExactly("OPEN"));
    }

    @Test
    void aRequestWhoseBodyReachedABackendIsRetriedOnlyWhenIdempotentAndHeldForReplay() throws Exception {
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = gateway(RouteConfig.builder().backend(b.url())
                .retries(RetryConfig.builder().maxAttempts(3).retryStatuses("503").bufferBytes(4096)
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).build()));
        String body = "x".repeat(1000);
        b.failNext(1, 503);
        HttpResponse<String> post = send(gateway, "POST", "/upload", body);
        assertThat(post.statusCode()).as("a POST that reached a backend is never retried").isEqualTo(503);
        assertThat(b.requests).hasValue(1);

        b.failNext(1, 503);
        HttpResponse<String> put = send(gateway, "PUT", "/upload", body);
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).as("the replay carries the same body").endsWith(" 1000");
        assertThat(b.requests).hasValue(3);

        b.failNext(1, 503);
        HttpResponse<String> large = send(gateway, "PUT", "/upload", "y".repeat(5000));
        assertThat(large.statusCode()).as("a body larger than the buffer is not held, so not retried").isEqualTo(503);
        assertThat(b.requests).hasValue(4);
    }

    @Test
    void aRefusedConnectionGoesToAnotherBackend() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        String refused = "http://127.0.0.1:" + FaultyBackend.closedPort();
        Gateway gateway = gateway(RouteConfig.builder().backend(refused).backend(a.url())
                .retries(RetryConfig.builder().maxAttempts(3)
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).attemptsHeader(true).build()));
        HttpResponse<String> response = get(gateway, "/x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(ATTEMPTS)).hasValue("2");
        assertThat(a.requests).hasValue(1);
    }

    @Test
    void aConnectionResetBeforeTheResponseGoesToAnotherBackend() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = gateway(RouteConfig.builder().backend(a.url()).backend(b.url())
                .retries(RetryConfig.builder().maxAttempts(3)
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(40)).build()));
        // The first reset looks like a keep-alive race and is sent once more to a; the second is a retry, to b.
        a.resetNext(2);
        HttpResponse<String> response = get(gateway, "/x");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(a.requests).hasValue(2);
        assertThat(b.requests).hasValue(1);
    }

    @Test
    void theRetryBudgetCapsTheExtraLoad() throws Exception {
        TestBackend b = servers.add(TestBackend.start("b"));
        b.failWith.set(503);
        Gateway gateway = gateway(RouteConfig.builder().backend(b.url())
                .retries(RetryConfig.builder().maxAttempts(3).retryStatuses("503").budget(20, 0)
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()));
        for (int i = 0; i < 50; i++) {
            assertThat(get(gateway, "/x").statusCode()).isEqualTo(503);
        }
        // Without a budget, 150 hits; with 20% of the requests, at most 10 retries.
        assertThat(b.requests.get()).isBetween(50, 60);
    }

    @Test
    void theDeadlineBoundsAttemptsAndBackoffTogether() throws Exception {
        TestBackend b = servers.add(TestBackend.start("b"));
        Gateway gateway = gateway(RouteConfig.builder().backend(b.url())
                .timeouts(TimeoutConfig.builder().response(Duration.ofMillis(300)).build())
                .retries(RetryConfig.builder().maxAttempts(10).backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                        .deadline(Duration.ofMillis(800)).attemptsHeader(true).build()));
        long start = System.nanoTime();
        HttpResponse<String> response = get(gateway, "/slow?ms=3000");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(took).as("800 ms deadline, plus slack for a shared machine").isLessThan(1600);
        assertThat(b.requests.get()).isBetween(2, 4);
    }
}
