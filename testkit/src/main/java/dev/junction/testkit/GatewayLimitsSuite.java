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

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.LimitsConfig;
import dev.junction.core.config.QueueConfig;
import dev.junction.core.config.RouteConfig;

/**
 * The gateway-wide caps ({@code limits.maxExchanges}, {@code limits.maxQueued}): past them a request gets {@code 503}
 * at once, and a hot route cannot take the places of a quiet one.
 */
public abstract class GatewayLimitsSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private static RouteConfig route(String name, TestBackend backend, int maxConcurrent, int maxWaiting) {
        return RouteConfig.builder().name(name).prefix("/" + name).stripPrefix(true)
                .backend(BackendConfig.builder().url(backend.url()).maxConcurrent(maxConcurrent).build())
                .queue(QueueConfig.of(maxWaiting, Duration.ofSeconds(20))).build();
    }

    private CompletableFuture<HttpResponse<String>> send(Gateway gateway, String target) {
        return http.sendAsync(HttpRequest.newBuilder(gateway.uri(target)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHotRouteTakesNoMoreThanItsShareAndHalfOfWhatTheOthersLeaveAndTheRestIsRefusedAtOnce() throws Exception {
        TestBackend hot = servers.add(TestBackend.start("hot"));
        TestBackend quiet = servers.add(TestBackend.start("quiet"));
        // 4 places for 2 routes: a share of 2 each; the hot one may borrow 1 of the quiet one's 2.
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(route("hot", hot, 0, 0)).route(route("quiet", quiet, 0, 0))
                .limits(LimitsConfig.DEFAULT.withMaxExchanges(4)).build()));

        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(send(gateway, "/hot/slow?ms=2000"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> hot.requests.get() == 3);
        HttpResponse<String> refused = send(gateway, "/hot/echo").get(5, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("the route has its share of the gateway's 4 exchanges in flight");

        HttpResponse<String> served = send(gateway, "/quiet/echo").get(5, TimeUnit.SECONDS);
        assertThat(served.statusCode()).as("the quiet route still finds a place").isEqualTo(200);
        assertThat(held.get(0)).as("answered while the hot route's requests are still held").isNotDone();
        for (CompletableFuture<HttpResponse<String>> response : held) {
            assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(hot.requests.get()).isEqualTo(3);
    }

    @Test
    void theQueuesOfAllRoutesTogetherHoldNoMoreThanMaxQueued() throws Exception {
        TestBackend first = servers.add(TestBackend.start("a"));
        TestBackend second = servers.add(TestBackend.start("b"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(route("a", first, 1, 5)).route(route("b", second, 1, 5))
                .limits(LimitsConfig.DEFAULT.withMaxQueued(1)).build()));

        CompletableFuture<HttpResponse<String>> holdingA = send(gateway, "/a/slow?ms=1500");
        CompletableFuture<HttpResponse<String>> holdingB = send(gateway, "/b/slow?ms=1500");
        await().atMost(Duration.ofSeconds(5)).until(() -> first.requests.get() == 1 && second.requests.get() == 1);
        CompletableFuture<HttpResponse<String>> waiting = send(gateway, "/a/echo");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.junction().status().get(0).queue().waiting() == 1);

        HttpResponse<String> full = send(gateway, "/b/echo").get(5, TimeUnit.SECONDS);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).contains("the route's queue is full");
        assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(holdingA.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(holdingB.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
