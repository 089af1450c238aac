package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

public abstract class ProxyBasicsSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestBackend a;
    private TestBackend b;
    private Gateway gateway;

    @BeforeEach
    void start() {
        a = TestBackend.start("a");
        b = TestBackend.start("b");
        gateway = startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend(a.url()).backend(b.url()).build())
                .build());
    }

    @AfterEach
    void stop() {
        gateway.close();
        a.close();
        b.close();
    }

    @Test
    void roundRobinSpreadsRequestsOverBothBackends() throws Exception {
        List<String> backends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/api/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("target: /api/hello");
            backends.add(response.headers().firstValue("X-Backend").orElseThrow());
        }
        assertThat(backends).containsExactly("a", "b", "a", "b");
    }

    @Test
    void requestsNoRouteTakesGoToTheNextHandler() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/apix")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("next handler");
        assertThat(a.requests.get() + b.requests.get()).isZero();
    }
}
