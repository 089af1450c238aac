package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;

/**
 * A load test, not a timed one: eight clients send requests through the adapter to three backends for a bounded
 * time (three seconds by default, {@code -Djunction.load.seconds=N} for longer) and count; a third of the way in,
 * one backend is killed (its server stopped at once: every connection cut, what it still takes answered 503), two
 * thirds in, it is started again on its port. The route retries connection failures, resets and 503s, as
 * {@code proxy_next_upstream error http_503} would.
 * Idempotent requests must see no error at all; a POST may fail (it was on the killed backend and cannot be sent
 * again safely) but must never reach a backend twice. Each run prints its figures, which docs/operations.md records.
 */
public abstract class BackendRestartSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    /** Returns the setup's name, for the printed figures. */
    protected abstract String setup();

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private static final int CLIENTS = 8;
    private static final int MAX_REQUESTS = 200_000;

    @Test
    void idempotentRequestsSeeNoErrorWhileABackendIsKilledAndRestarted() throws Exception {
        Figures figures = run("GET");
        // A GET may reach two backends (the killed one answered 503 or cut it after taking it, and it was sent
        // again): that is what retrying an idempotent request is. What it must not do is fail.
        assertThat(figures.errors()).as(figures.toString()).isEmpty();
    }

    @Test
    void aPostIsNeverSentTwiceWhileABackendIsKilledAndRestarted() throws Exception {
        Figures figures = run("POST");
        assertThat(figures.repeated()).as(figures.toString()).isZero();
        assertThat(figures.requests()).isGreaterThan(figures.errors().size());
    }

    /** What a run saw: requests sent, the client-visible errors, POSTs that reached a backend twice. */
    private record Figures(String method, long requests, List<String> errors, int repeated, long millis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d requests in %.1f s, %d client-visible errors%s, %d sent twice",
                    method, requests, millis / 1000.0, errors.size(),
                    errors.isEmpty() ? "" : " (first: " + errors.get(0) + ")", repeated);
        }
    }

    private Figures run(String method) throws Exception {
        long seconds = Long.getLong("junction.load.seconds", 3);
        List<TestBackend> backends = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            backends.add(TestBackend.start(name));
        }
        AtomicReference<TestBackend> killed = new AtomicReference<>(backends.get(1));
        List<TestBackend> everyInstance = new ArrayList<>(backends);
        RouteConfig.Builder route = RouteConfig.builder().name("api").prefix("/")
                .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMillis(250))
                        .timeout(Duration.ofMillis(200)).healthyThreshold(1).unhealthyThreshold(1).build())
                .outlierDetection(OutlierDetectionConfig.builder().consecutiveConnectFailures(1)
                        .baseEjectionTime(Duration.ofMillis(500)).build())
                .retries(RetryConfig.builder().maxAttempts(3)
                        .retryOn(Set.of(RetryConfig.RetryOn.CONNECT_FAILURE, RetryConfig.RetryOn.RESET))
                        // A server stopping answers what it can no longer serve with 503 (Undertow does).
                        .retryStatuses("503")
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build());
        backends.forEach(backend -> route.backend(backend.url()));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(route.build()).build()));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
        ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
        AtomicLong sent = new AtomicLong();
        AtomicInteger ids = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try {
            chaos.schedule(() -> killed.get().close(), seconds * 1000 / 3, TimeUnit.MILLISECONDS);
            chaos.schedule(() -> {
                TestBackend back = killed.get().restarted();
                synchronized (everyInstance) {
                    everyInstance.add(back);
                }
            }, seconds * 2000 / 3, TimeUnit.MILLISECONDS);
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(load.submit(() -> {
                    while (System.nanoTime() < end && sent.incrementAndGet() <= MAX_REQUESTS) {
                        String id = method + "-" + ids.incrementAndGet();
                        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(method.equals("GET")
                                ? "/echo" : "/upload")).header("X-Request-Id", id).timeout(Duration.ofSeconds(10));
                        if (method.equals("POST")) {
                            request.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1024]));
                        }
                        try {
                            HttpResponse<String> response = client.send(request.build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                errors.add(id + ": " + response.statusCode() + " " + response.body().strip());
                            }
                        } catch (IOException e) {
                            errors.add(id + ": " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : clients) {
                each.get(seconds + 30, TimeUnit.SECONDS);
            }
        } finally {
            load.shutdownNow();
            chaos.shutdownNow();
            chaos.awaitTermination(10, TimeUnit.SECONDS);
            synchronized (everyInstance) {
                everyInstance.forEach(TestBackend::close);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int repeated = 0;
        Set<String> seen = new HashSet<>();
        synchronized (everyInstance) {
            for (TestBackend backend : everyInstance) {
                repeated += backend.repeatedIds.get();
                for (String id : backend.requestIds) {
                    if (!seen.add(id)) {
                        repeated++;
                    }
                }
            }
        }
        Figures figures = new Figures(method, Math.min(sent.get(), MAX_REQUESTS), List.copyOf(errors), repeated,
                millis);
        System.out.println("Backend killed and restarted under load, " + setup() + ": " + figures);
        return figures;
    }
}
