package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.status.RateLimitStatus;

/**
 * A route's rate limits ({@code routes[].rateLimits}), kept by the gateway itself: a request over a limit gets
 * {@code 429} with {@code Retry-After} and never reaches a backend; every answer tells the client of the limit nearest
 * to running out ({@code RateLimit-*} fields); each key has its own bucket, requests without the key share one; several
 * limits on one key all apply; tokens come back at the configured rate; the limits show in status and metrics.
 */
public abstract class RateLimitSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    protected final StartedServers servers = new StartedServers();

    private final HttpClient http = HttpClient.newHttpClient();

    private Gateway gateway(TestBackend backend, RateLimitConfig... limits) {
        return servers.add(startGateway(JunctionConfig.builder().route(RouteConfig.builder().name("limited")
                .prefix("/").backend(BackendConfig.builder().url(backend.url()).build())
                .rateLimits(List.of(limits)).build())
                .admin(AdminConfig.at("/_junction")).build()));
    }

    private HttpResponse<String> get(Gateway gateway, String target, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(target)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Integer> statuses(List<HttpResponse<String>> responses) {
        return responses.stream().map(HttpResponse::statusCode).toList();
    }

    private static RateLimitStatus limits(Gateway gateway) {
        RateLimitStatus status = gateway.junction().status().get(0).rateLimits();
        assertThat(status).isNotNull();
        return status;
    }

    private static @Nullable String field(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void aRequestOverTheLimitGets429WithRetryAfterAndNeverReachesTheBackend() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, RateLimitConfig.of("route", 3, Duration.ofHours(1)).withName("hourly"));

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(get(gateway, "/echo?n=" + i));
        }

        assertThat(statuses(responses)).containsExactly(200, 200, 200, 429);
        assertThat(responses.stream().map(response -> field(response, "RateLimit-Remaining")).toList())
                .containsExactly("2", "1", "0", "0");
        for (HttpResponse<String> response : responses) {
            assertThat(field(response, "RateLimit-Limit")).isEqualTo("3");
            assertThat(field(response, "RateLimit-Policy")).isEqualTo("3;w=3600;comment=\"hourly\"");
            // A token every 20 minutes: the bucket is full again within the hour.
            assertThat(Long.parseLong(field(response, "RateLimit-Reset"))).isBetween(1L, 3600L);
        }
        HttpResponse<String> refused = responses.get(3);
        assertThat(Long.parseLong(field(refused, "Retry-After"))).as("the next token, 20 minutes away")
                .isBetween(1190L, 1200L);
        assertThat(refused.body()).contains("route 'limited': too many requests: over the route's rate limit");
        assertThat(field(refused, "X-Request-Id")).isNotBlank();
        assertThat(backend.requests.get()).isEqualTo(3);

        RateLimitStatus status = limits(gateway);
        assertThat(status.limits()).containsExactly("hourly");
        assertThat(status.allowed()).isEqualTo(3);
        assertThat(status.limited()).isEqualTo(1);
        assertThat(status.store()).isNull();
        PrometheusText metrics = PrometheusText.parse(get(gateway, "/_junction/metrics").body());
        assertThat(metrics.value("junction_ratelimit_limited_total", "route", "limited")).isEqualTo(1);
        assertThat(metrics.value("junction_requests_seconds_count", "route", "limited", "backend", "none",
                "status", "4xx", "outcome", "rate_limited")).isEqualTo(1);
    }

    @Test
    void eachKeyHasItsOwnBucketAndRequestsWithoutOneShareOne() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, RateLimitConfig.of("header:X-Api-Key", 2, Duration.ofHours(1)));

        List<Integer> alice = new ArrayList<>();
        List<Integer> bob = new ArrayList<>();
        List<Integer> none = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            alice.add(get(gateway, "/echo", "X-Api-Key", "alice").statusCode());
            bob.add(get(gateway, "/echo", "X-Api-Key", "bob").statusCode());
            none.add(get(gateway, "/echo").statusCode());
        }

        assertThat(alice).containsExactly(200, 200, 429);
        assertThat(bob).containsExactly(200, 200, 429);
        assertThat(none).as("leaving the key out buys no more than one key's share").containsExactly(200, 200, 429);
        assertThat(backend.requests.get()).isEqualTo(6);
    }

    @Test
    void severalLimitsOnOneKeyAllApplyAndTheTightestIsTold() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend,
                RateLimitConfig.of("client", 10, Duration.ofSeconds(1)).withName("per-second"),
                RateLimitConfig.of("client", 4, Duration.ofHours(1)).withName("per-hour"));

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(get(gateway, "/echo"));
        }

        assertThat(statuses(responses)).containsExactly(200, 200, 200, 200, 429);
        assertThat(field(responses.get(0), "RateLimit-Remaining")).isEqualTo("3");
        assertThat(field(responses.get(0), "RateLimit-Policy"))
                .isEqualTo("10;w=1;comment=\"per-second\", 4;w=3600;comment=\"per-hour\"");
        assertThat(Long.parseLong(field(responses.get(4), "Retry-After"))).as("the hourly limit's next token")
                .isGreaterThan(800);
    }

    @Test
    void tokensComeBackAtTheConfiguredRate() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        Gateway gateway = gateway(backend, RateLimitConfig.of("route", 1, Duration.ofMillis(300)).withBurst(2));

        assertThat(get(gateway, "/echo").statusCode()).isEqualTo(200);
        assertThat(get(gateway, "/echo").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = get(gateway, "/echo");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(field(refused, "Retry-After")).as("rounded up to a whole second").isEqualTo("1");

        // The next token comes 300 ms after the first was taken; then the request goes through.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(gateway, "/echo").statusCode() == 200);
        assertThat(limits(gateway).limited()).isPositive();
    }
}
