package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.junction.core.Junction;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.QueueConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.status.QueueStatus;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.QueueSuite;
import dev.junction.testkit.TestBackend;

class QueueTest extends QueueSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }

    @Test
    void aPriorityResolverOfOnesOwnChoosesTheClassBeforeTheRules() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        // The customer's plan decides: gold is critical, whatever class the request's header claims.
        Junction.Builder builder = JunctionHandler.junctionBuilder().priorityResolver("plan",
                request -> "gold".equals(request.header("X-Plan")) ? "critical" : null);
        Gateway gateway = servers.add(UndertowGateway.start(builder, JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(BackendConfig.builder().url(backend.url())
                        .maxConcurrent(1).build())
                        .queue(QueueConfig.of(5, Duration.ofSeconds(20)).withClasses(List.of("critical", "default",
                                "bulk"), "default", "X-Priority", Duration.ZERO).withClassResolver("plan"))
                        .build())
                .build()));
        HttpClient http = HttpClient.newHttpClient();

        CompletableFuture<HttpResponse<String>> holding = http.sendAsync(HttpRequest.newBuilder(
                gateway.uri("/slow?ms=1000")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 1);
        CompletableFuture<HttpResponse<String>> plain = http.sendAsync(HttpRequest.newBuilder(
                gateway.uri("/slow?ms=300")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);
        CompletableFuture<HttpResponse<String>> gold = http.sendAsync(HttpRequest.newBuilder(
                gateway.uri("/slow?ms=300")).header("X-Plan", "gold").header("X-Priority", "bulk").build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 2);
        assertThat(queue(gateway).waitingByClass()).containsExactly(entry("critical", 1), entry("default", 1),
                entry("bulk", 0));

        assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(gold.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(plain).as("the gold request went first").isNotDone();
        assertThat(plain.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aBackendThatComesInWakesAWaiterWithoutWaitingForARequestToEnd() throws Exception {
        TestBackend first = servers.add(TestBackend.start("a"));
        TestBackend second = servers.add(TestBackend.start("b"));
        Gateway gateway = servers.add(UndertowGateway.start(JunctionConfig.builder()
                .route(RouteConfig.builder().name("queued").prefix("/").backend(BackendConfig.builder()
                        .url(first.url()).id("a").maxConcurrent(1).build())
                        .queue(QueueConfig.of(5, Duration.ofSeconds(20))).build())
                .build()));
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> holding = http.sendAsync(HttpRequest.newBuilder(
                gateway.uri("/slow?ms=5000")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> first.requests.get() == 1);
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                gateway.uri("/echo")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> queue(gateway).waiting() == 1);

        gateway.junction().route("queued").pool().add(BackendConfig.builder().url(second.url()).id("b")
                .maxConcurrent(1).build());

        HttpResponse<String> served = waiting.get(3, TimeUnit.SECONDS);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).contains("backend: b");
        assertThat(holding).as("served by the backend that came in, not after the first one's request").isNotDone();
        assertThat(holding.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    private static QueueStatus queue(Gateway gateway) {
        QueueStatus queue = gateway.junction().status().get(0).queue();
        assertThat(queue).isNotNull();
        return queue;
    }
}
