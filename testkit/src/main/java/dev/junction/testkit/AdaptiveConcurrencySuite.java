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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.AdaptiveConcurrencyConfig;
import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.QueueConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.status.ConcurrencyStatus;

/**
 * A route's adaptive concurrency limit ({@code routes[].adaptiveConcurrency}): past it a request gets {@code 503} at
 * once and never reaches a backend, the lowest priority classes first; the limit shows in status and metrics.
 */
public abstract class AdaptiveConcurrencySuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private CompletableFuture<HttpResponse<String>> send(Gateway gateway, String target, String priority) {
        return http.sendAsync(HttpRequest.newBuilder(gateway.uri(target)).header("X-Priority", priority)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConcurrencyStatus concurrency(Gateway gateway) {
        ConcurrencyStatus status = gateway.junction().status().get(0).concurrency();
        assertThat(status).isNotNull();
        return status;
    }

    @Test
    void pastTheLimitRequestsAreShedLowestClassFirst() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        // A limit held at 4 (it can only fall, and nothing ends while the test looks): critical may use all 4
        // places, default 3, bulk 2.
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder().route(RouteConfig.builder()
                .name("adaptive").prefix("/").backend(BackendConfig.builder().url(backend.url()).build())
                .queue(QueueConfig.of(0, Duration.ofSeconds(1)).withClasses(List.of("critical", "default", "bulk"),
                        "default", "X-Priority", Duration.ofSeconds(1)))
                .adaptiveConcurrency(AdaptiveConcurrencyConfig.of("gradient2").withLimits(4, 1, 4)).build())
                .admin(AdminConfig.at("/_junction")).build()));

        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        held.add(send(gateway, "/slow?ms=1500", "bulk"));
        held.add(send(gateway, "/slow?ms=1500", "bulk"));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 2);
        HttpResponse<String> bulk = send(gateway, "/echo", "bulk").get(5, TimeUnit.SECONDS);
        assertThat(bulk.statusCode()).isEqualTo(503);
        assertThat(bulk.body()).contains("shed at the route's adaptive concurrency limit of 4 (class bulk)");

        held.add(send(gateway, "/slow?ms=1500", "default"));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 3);
        assertThat(send(gateway, "/echo", "default").get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        held.add(send(gateway, "/slow?ms=1500", "critical"));
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests.get() == 4);
        HttpResponse<String> critical = send(gateway, "/echo", "critical").get(5, TimeUnit.SECONDS);
        assertThat(critical.statusCode()).as("the whole limit is in use").isEqualTo(503);

        ConcurrencyStatus status = concurrency(gateway);
        assertThat(status.algorithm()).isEqualTo("gradient2");
        assertThat(status.limit()).isEqualTo(4);
        assertThat(status.inFlight()).isEqualTo(4);
        assertThat(status.shed()).isEqualTo(3);
        PrometheusText metrics = PrometheusText.parse(http.send(HttpRequest.newBuilder(
                gateway.uri("/_junction/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metrics.value("junction_concurrency_shed_total", "route", "adaptive")).isEqualTo(3);
        assertThat(metrics.value("junction_concurrency_limit", "route", "adaptive")).isEqualTo(4);

        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(backend.requests.get()).as("no shed request reached the backend").isEqualTo(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> concurrency(gateway).inFlight() == 0);
    }
}
