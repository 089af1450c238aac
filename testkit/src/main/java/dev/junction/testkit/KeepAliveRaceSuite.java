package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;

/**
 * The keep-alive race: a backend closes an idle pooled connection just as the gateway reuses it. The backend here
 * closes idle connections after 100 ms while the gateway keeps them for a minute, and requests come at gaps around
 * 100 ms, so some go out on a connection the backend is closing. None may fail.
 */
public abstract class KeepAliveRaceSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @Test
    void aConnectionTheBackendClosesAsItIsReusedIsNotAnError() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (TestBackend backend = TestBackend.withKeepAliveTimeout("a", 100);
                Gateway gateway = startGateway(JunctionConfig.builder()
                        .route(RouteConfig.builder().prefix("/").backend(backend.url()).build())
                        .build())) {
            for (int gap = 90; gap <= 115; gap++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("after a %d ms gap", gap).isEqualTo(200);
                Thread.sleep(gap);
            }
        }
    }
}
