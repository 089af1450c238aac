package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

/** The strategies that read live state see real traffic: a slow backend gets less of it. */
public abstract class LiveStateSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopClients() {
        pool.shutdownNow();
    }

    /** Sends {@code each} requests one after the other from each of {@code clients} threads; returns the slow count. */
    private int requestsToSlowBackend(String strategy, int clients, int each) throws Exception {
        TestBackend slow = servers.add(TestBackend.withDelay("slow", 200));
        TestBackend fast = servers.add(TestBackend.start("fast"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(slow.url()).backend(fast.url()).strategy(strategy)
                        .build())
                .build()));
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < each; i++) {
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).isEqualTo(200);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, pool));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        assertThat(slow.requests.get() + fast.requests.get()).isEqualTo(clients * each);
        return slow.requests.get();
    }

    @Test
    void leastConnectionsSendsLessToABackendThatHoldsRequestsLonger() throws Exception {
        // Four clients, ten requests each: round-robin would give the slow backend 20.
        assertThat(requestsToSlowBackend("least-connections", 4, 10)).isLessThan(12);
    }

    @Test
    void leastResponseTimeSendsLessToABackendThatAnswersSlower() throws Exception {
        // One at a time: nothing is ever in flight in parallel, so only the measured response times differ.
        assertThat(requestsToSlowBackend("least-response-time", 1, 20)).isLessThanOrEqualTo(3);
    }
}
