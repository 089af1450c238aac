package dev.junction.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.SharedLimitsConfig;
import dev.junction.core.status.RateLimitStatus;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.RateLimitSuite;
import dev.junction.testkit.RedisServer;
import dev.junction.testkit.TestBackend;

/**
 * Rate limits through the gateway itself, read from its YAML file; and two gateway instances sharing one limit through
 * a real Redis (the gateway carries the Redis client).
 */
class GatewayRateLimitTest extends RateLimitSuite {

    @TempDir
    Path files;

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return YamlGateway.start(files, config);
    }

    private static boolean reachable(Gateway gateway) {
        RateLimitStatus status = gateway.junction().status().get(0).rateLimits();
        return status != null && status.storeReachable();
    }

    @Test
    void twoGatewaysFromOneFileShareOneLimitThroughRedis() throws Exception {
        RedisServer redis = servers.add(RedisServer.start());
        TestBackend backend = servers.add(TestBackend.start("a"));
        JunctionConfig config = JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(BackendConfig.builder().url(backend.url()).build())
                        .rateLimit(RateLimitConfig.of("route", 5, Duration.ofHours(1)).withShared(true)).build())
                .sharedLimits(SharedLimitsConfig.redis(redis.uri()).withFallback(2,
                        SharedLimitsConfig.WhenUnreachable.LOCAL))
                .build();
        Gateway first = servers.add(startGateway(config));
        Gateway second = servers.add(startGateway(config));
        // A gateway decides alone until its first connection to Redis is up (it waits a second for it at start).
        await().atMost(Duration.ofSeconds(10)).until(() -> reachable(first) && reachable(second));
        HttpClient http = HttpClient.newHttpClient();

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (Gateway gateway : List.of(first, second)) {
                statuses.add(http.send(HttpRequest.newBuilder(gateway.uri("/echo")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            }
        }

        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
        assertThat(backend.requests.get()).isEqualTo(5);
    }
}
