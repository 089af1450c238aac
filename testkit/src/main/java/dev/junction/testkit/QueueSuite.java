package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.QueueConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.status.QueueStatus;

/**
 * A route's queue ({@code routes[].queue}): with its one backend at its {@code maxConcurrent} limit, a request waits
 * and is served once a place frees, in order of arrival; a full queue and a wait that runs out are answered
 * {@code 503} with {@code Retry-After}; a client that leaves while it waits is taken out at once (where the server
 * says so: a servlet container tells only at a write); the queue shows in the route's status.
 */
public abstract class QueueSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    /** One backend that takes one request at a time, and a queue of {@code maxWaiting} that waits {@code timeout}. */
    private Gateway gateway(TestBackend backend, int maxWaiting, Duration timeout) {
        return servers.add(startGateway(JunctionConfig.builder().route(RouteConfig.builder().name("queued")
                .prefix("/").backend(BackendConfig.builder().url(backend.url()).maxConcurrent(1).build())
                .queue(QueueConfig.of(maxWaiting, timeout)).build())
                .admin(AdminConfig.at("/_junction")).build()));
    }

    private PrometheusText metrics(Gateway gateway) throws Exception {
        return PrometheusText.parse(http.send(HttpRequest.newBuilder(gateway.uri("/_junction/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private CompletableFuture<HttpResponse<String>> send(Gateway gateway, String target) {
        return http.sendAsync(HttpRequest.newBuilder(gateway.uri(target)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static QueueStatus queue(Gateway gateway) {
        QueueStatus queue = gateway.junction().status().get(0).queue();
        assertThat(queue).isNotNull();
        return queue;
    }

    @Test
    void aRequestWaitsForAPlaceAndIsServedWhenOneFrees() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, 10, Duration.ofSeconds(10));

        CompletableFuture<HttpResponse<String>> holding = send(gateway, "/slow?ms=2000");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
        CompletableFuture<HttpResponse<String>> first = send(gateway, "/echo?n=1");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);
        CompletableFuture<HttpResponse<String>> second = send(gateway, "/echo?n=2");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 2);
        assertThat(backend.requests.get()).as("nothing reached the backend past its limit").isEqualTo(1);

        assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> one = first.get(10, TimeUnit.SECONDS);
        HttpResponse<String> two = second.get(10, TimeUnit.SECONDS);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("target: /echo?n=1");
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(backend.requests.get()).isEqualTo(3);
        QueueStatus done = queue(gateway);
        assertThat(done.waiting()).isZero();
        assertThat(done.queued()).isEqualTo(2);
        assertThat(done.refused()).isZero();
        assertThat(done.meanWaitMillis()).isPositive();
    }

    @Test
    void aFullQueueAndAWaitThatRunsOutAreAnswered503WithRetryAfter() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, 1, Duration.ofMillis(400));

        CompletableFuture<HttpResponse<String>> holding = send(gateway, "/slow?ms=1500");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
        CompletableFuture<HttpResponse<String>> waiting = send(gateway, "/echo");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);

        HttpResponse<String> full = send(gateway, "/echo").get(10, TimeUnit.SECONDS);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(full.body()).contains("route 'queued': every backend is at its limit and the route's queue is full");

        HttpResponse<String> waited = waiting.get(10, TimeUnit.SECONDS);
        assertThat(waited.statusCode()).isEqualTo(503);
        assertThat(waited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(waited.body()).contains("ms for a backend below its limit (the route's queue timeout)");
        QueueStatus status = queue(gateway);
        assertThat(status.refused()).isEqualTo(1);
        assertThat(status.timedOut()).isEqualTo(1);
        assertThat(status.waiting()).isZero();
        assertThat(backend.requests.get()).as("neither reached the backend").isEqualTo(1);
        PrometheusText metrics = metrics(gateway);
        assertThat(metrics.value("junction_queue_rejected_total", "route", "queued", "reason", "full")).isEqualTo(1);
        assertThat(metrics.value("junction_queue_rejected_total", "route", "queued", "reason", "timed_out"))
                .isEqualTo(1);
        assertThat(metrics.value("junction_queue_waiting", "route", "queued")).isZero();
        assertThat(metrics.value("junction_queue_wait_seconds_count", "route", "queued", "class", "default"))
                .as("the wait that ran out; the request refused at once never waited").isEqualTo(1);
        assertThat(metrics.value("junction_queue_wait_seconds_sum", "route", "queued", "class", "default"))
                .isGreaterThanOrEqualTo(0.4);
        assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatLeavesWhileItWaitsIsTakenOutAtOnce() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, 1, Duration.ofSeconds(20));

        CompletableFuture<HttpResponse<String>> holding = send(gateway, "/slow?ms=1500");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
        try (Socket client = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = client.getOutputStream();
            out.write("GET /echo HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);
        }
        if (!gateway.noticesAClientThatLeavesWhileTheBackendThinks()) {
            // A servlet container tells of a closed connection only at a write: the request keeps its place until
            // the backend frees one, is forwarded then, and its answer finds the client gone.
            assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 0
                    && backend.requests.get() == 2);
            assertThat(send(gateway, "/echo").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            return;
        }
        await("the queue's place given back while the backend still holds the first request")
                .atMost(Duration.ofSeconds(1)).until(() -> queue(gateway).waiting() == 0);
        assertThat(holding).isNotDone();

        // The place is free: another request queues instead of finding the queue full, and is served.
        CompletableFuture<HttpResponse<String>> next = send(gateway, "/echo");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);
        assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(next.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(backend.requests.get()).as("the request that left never reached the backend").isEqualTo(2);
    }

    /** One backend that takes one request at a time; a queue of 2 in classes critical, default, bulk. */
    private Gateway classedGateway(TestBackend backend, Duration aging, Map<String, String> byPrefix,
            Map<String, String> byMethod) {
        return servers.add(startGateway(JunctionConfig.builder().route(RouteConfig.builder().name("queued")
                .prefix("/").backend(BackendConfig.builder().url(backend.url()).maxConcurrent(1).build())
                .queue(QueueConfig.of(2, Duration.ofSeconds(20)).withClasses(List.of("critical", "default", "bulk"),
                        "default", "X-Priority", aging).withClassRules(byPrefix, byMethod))
                .build()).build()));
    }

    private CompletableFuture<HttpResponse<String>> delete(Gateway gateway, String target) {
        return http.sendAsync(HttpRequest.newBuilder(gateway.uri(target)).DELETE().timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> send(Gateway gateway, String target, String priority) {
        return http.sendAsync(HttpRequest.newBuilder(gateway.uri(target)).header("X-Priority", priority)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHigherClassIsServedFirstAndShedsTheLowestFromAFullQueue() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        // Bulk by method, critical by header; the default class for the rest.
        Gateway gateway = classedGateway(backend, Duration.ZERO, Map.of(), Map.of("DELETE", "bulk"));

        CompletableFuture<HttpResponse<String>> holding = send(gateway, "/slow?ms=1500");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
        CompletableFuture<HttpResponse<String>> bulk = delete(gateway, "/slow?ms=300");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);
        CompletableFuture<HttpResponse<String>> plain = send(gateway, "/slow?ms=300");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 2);
        assertThat(queue(gateway).waitingByClass()).containsExactly(entry("critical", 0), entry("default", 1),
                entry("bulk", 1));

        // The queue is full: a critical request takes the place of the newest bulk one, which is refused.
        CompletableFuture<HttpResponse<String>> critical = send(gateway, "/slow?ms=300", "critical");
        HttpResponse<String> shed = bulk.get(10, TimeUnit.SECONDS);
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(shed.body()).contains("shed from the route's full queue after", "for a request of class critical");

        assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(critical.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // Served one at a time, 300 ms each: the default request, which came earlier, is still being served.
        assertThat(plain).as("the critical request went first").isNotDone();
        assertThat(plain.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        QueueStatus status = queue(gateway);
        assertThat(status.shed()).isEqualTo(1);
        assertThat(status.refused()).isZero();
    }

    @Test
    void aLowerClassThatHasWaitedLongerThanItsAgingGoesFirst() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        // One millisecond of waiting counts as one class: the bulk request, queued well before the critical one,
        // has passed it by the time a place frees.
        // Critical by path prefix here; bulk by header, which comes before the prefix.
        Gateway gateway = classedGateway(backend, Duration.ofMillis(1), Map.of("/slow", "critical"), Map.of());

        CompletableFuture<HttpResponse<String>> holding = send(gateway, "/slow?ms=1500", "default");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
        CompletableFuture<HttpResponse<String>> bulk = send(gateway, "/slow?ms=300", "bulk");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);
        CompletableFuture<HttpResponse<String>> critical = send(gateway, "/slow?ms=300");
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 2);
        assertThat(queue(gateway).waitingByClass()).containsExactly(entry("critical", 1), entry("default", 0),
                entry("bulk", 1));

        assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(bulk.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(critical).as("the bulk request, aged past it, went first").isNotDone();
        assertThat(critical.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
