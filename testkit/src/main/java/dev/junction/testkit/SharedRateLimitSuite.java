package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.SharedLimitsConfig;
import dev.junction.core.config.SharedLimitsConfig.WhenUnreachable;
import dev.junction.core.status.RateLimitStatus;

/**
 * Rate limits shared by two gateways through a real Redis: one limit for both, each gateway deciding alone on its
 * share while Redis is down (or letting everything through, or refusing everything, as configured), and both going
 * back to Redis by themselves once it is up again.
 */
public abstract class SharedRateLimitSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private Gateway gateway(TestBackend backend, String redis, WhenUnreachable whenUnreachable, long limit) {
        return servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("shared").prefix("/")
                        .backend(BackendConfig.builder().url(backend.url()).build())
                        .rateLimit(RateLimitConfig.of("header:X-Api-Key", limit, Duration.ofHours(1))
                                .withName("per-key").withShared(true))
                        .build())
                .sharedLimits(SharedLimitsConfig.redis(redis).withFallback(2, whenUnreachable)
                        .withTimeout(Duration.ofMillis(500)))
                .build()));
    }

    private int get(Gateway gateway, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.uri("/echo")).header("X-Api-Key", key)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static RateLimitStatus status(Gateway gateway) {
        RateLimitStatus status = gateway.junction().status().get(0).rateLimits();
        assertThat(status).isNotNull();
        return status;
    }

    @Test
    void twoGatewaysEnforceOneLimitDecideAloneWhileRedisIsDownAndShareAgainWhenItIsBack() throws Exception {
        RedisServer redis = servers.add(RedisServer.start());
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway first = gateway(backend, redis.uri(), WhenUnreachable.LOCAL, 10);
        Gateway second = gateway(backend, redis.uri(), WhenUnreachable.LOCAL, 10);
        // A gateway decides alone until its first connection to Redis is up (it waits a second for it at start).
        await().atMost(Duration.ofSeconds(10)).until(() -> status(first).storeReachable()
                && status(second).storeReachable());
        assertThat(status(first).store()).isEqualTo(redis.uri());

        // One bucket for both gateways: 10 tokens, whichever gateway takes them.
        List<Integer> shared = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            shared.add(get(first, "k1"));
            shared.add(get(second, "k1"));
        }
        assertThat(shared.stream().filter(status -> status == 200).count()).isEqualTo(10);
        assertThat(shared.subList(10, 12)).containsExactly(429, 429);
        assertThat(status(first).decidedAlone()).isZero();

        redis.kill();
        // Each gateway alone enforces its share: half of the limit, on a bucket of its own.
        List<Integer> alone = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            alone.add(get(first, "k2"));
        }
        assertThat(alone).containsExactly(200, 200, 200, 200, 200, 429);
        assertThat(status(first).storeReachable()).isFalse();
        assertThat(status(first).storeProblem()).isNotBlank();
        assertThat(status(first).decidedAlone()).isEqualTo(6);

        redis.restart();
        // Back to Redis by itself, without a request to ask it (a ping a second while it is down).
        await().atMost(Duration.ofSeconds(10)).until(() -> status(first).storeReachable()
                && status(second).storeReachable());
        List<Integer> again = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            again.add(get(first, "k3"));
            again.add(get(second, "k3"));
        }
        assertThat(again.stream().filter(status -> status == 200).count()).isEqualTo(10);
        assertThat(status(second).decidedAlone()).isZero();
    }

    @Test
    void withoutRedisAGatewayFailsOpenOrClosedAsConfigured() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        String nowhere = "redis://127.0.0.1:" + FaultyBackend.closedPort();
        Gateway open = gateway(backend, nowhere, WhenUnreachable.OPEN, 1);
        Gateway closed = gateway(backend, nowhere, WhenUnreachable.CLOSED, 1);

        List<Integer> opened = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            opened.add(get(open, "k"));
        }
        assertThat(opened).containsExactly(200, 200, 200);
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(closed.uri("/echo"))
                .header("X-Api-Key", "k").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("the shared rate-limit store cannot be reached");
        assertThat(status(closed).storeReachable()).isFalse();
        assertThat(status(closed).whenUnreachable()).isEqualTo("closed");
        assertThat(backend.requests.get()).isEqualTo(3);
    }
}
