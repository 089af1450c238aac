package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.junction.core.Junction;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.RateLimitSuite;
import dev.junction.testkit.TestBackend;

class RateLimitTest extends RateLimitSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }

    @Test
    void aKeyResolverOfOnesOwnNamesTheBucket() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        // The tenant is the path's second segment: /t/acme/... and /t/globex/... have a bucket each.
        Junction.Builder builder = JunctionHandler.junctionBuilder().keyResolver("tenant", request -> {
            String[] segments = request.path().split("/");
            return segments.length > 2 ? segments[2] : null;
        });
        Gateway gateway = servers.add(UndertowGateway.start(builder, JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/t").backend(BackendConfig.builder().url(backend.url()).build())
                        .rateLimit(RateLimitConfig.of("resolver:tenant", 2, Duration.ofHours(1))).build())
                .build()));
        HttpClient http = HttpClient.newHttpClient();

        List<Integer> acme = new ArrayList<>();
        List<Integer> globex = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            acme.add(http.send(HttpRequest.newBuilder(gateway.uri("/t/acme/orders")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
            globex.add(http.send(HttpRequest.newBuilder(gateway.uri("/t/globex/orders")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }

        assertThat(acme).containsExactly(200, 200, 429);
        assertThat(globex).containsExactly(200, 200, 429);
    }
}
