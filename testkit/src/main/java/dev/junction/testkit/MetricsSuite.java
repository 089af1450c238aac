package dev.junction.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.LimitsConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;

/**
 * The metrics an operator scrapes from {@code <admin>/metrics}: Prometheus text that parses, with exact counts after
 * known traffic, for every meter docs/operations.md lists that the traffic touches.
 */
public abstract class MetricsSuite {

    /** Starts the adapter under test over {@code config}; the suite stops it. */
    protected abstract Gateway startGateway(JunctionConfig config);

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> send(Gateway gateway, String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher content = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, content).build(), HttpResponse.BodyHandlers.ofString());
    }

    private PrometheusText scrape(Gateway gateway) throws Exception {
        HttpResponse<String> response = send(gateway, "GET", "/_junction/metrics", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // Prometheus's text format; Tomcat writes the type without its spaces.
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type.replace(" ", "")).startsWith("text/plain;version=0.0.4"));
        return PrometheusText.parse(response.body());
    }

    private static BackendConfig backend(String id, TestBackend server) {
        return BackendConfig.builder().id(id).url(server.url()).build();
    }

    @Test
    void afterKnownTrafficEveryCountIsExact() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").stripPrefix(true).backend(backend("a", a))
                        .build())
                .limits(LimitsConfig.DEFAULT.withMaxRequestTargetBytes(LimitsConfig.MIN_TARGET_BYTES))
                .admin(AdminConfig.at("/_junction"))
                .build()));
        for (int i = 0; i < 4; i++) {
            assertThat(send(gateway, "GET", "/api/x", null).statusCode()).isEqualTo(200);
        }
        assertThat(send(gateway, "POST", "/api/upload", "hello").body()).endsWith(" 5");
        assertThat(send(gateway, "GET", "/api/status/503", null).statusCode()).isEqualTo(503);
        assertThat(send(gateway, "GET", "/api/status/503", null).statusCode()).isEqualTo(503);
        // Refused by Junction itself in every server: a target over its limit, well under the server's.
        assertThat(send(gateway, "GET", "/api/" + "t".repeat(LimitsConfig.MIN_TARGET_BYTES), null).statusCode())
                .isEqualTo(414);

        // An exchange is counted as its answer ends, a moment after the client has it.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> countsAfterKnownTraffic(scrape(gateway)));
    }

    private static void countsAfterKnownTraffic(PrometheusText metrics) {
        String[] a200 = {"route", "api", "backend", "a", "status", "2xx", "outcome", "forwarded"};
        assertThat(metrics.value("junction_requests_seconds_count", a200)).isEqualTo(5);
        assertThat(metrics.value("junction_requests_seconds_count", "route", "api", "backend", "a", "status", "5xx",
                "outcome", "forwarded")).isEqualTo(2);
        assertThat(metrics.value("junction_requests_seconds_count", "route", "api", "backend", "none",
                "status", "4xx", "outcome", "refused")).isEqualTo(1);
        assertThat(metrics.value("junction_requests_seconds_bucket", concat(a200, "le", "+Inf"))).isEqualTo(5);
        assertThat(metrics.value("junction_requests_seconds_sum", a200)).isPositive();
        assertThat(metrics.value("junction_backend_requests_seconds_count", "route", "api", "backend", "a",
                "outcome", "succeeded")).isEqualTo(5);
        assertThat(metrics.value("junction_backend_requests_seconds_count", "route", "api", "backend", "a",
                "outcome", "failed_status")).isEqualTo(2);
        assertThat(metrics.value("junction_request_bytes_total", "route", "api", "backend", "a")).isEqualTo(5);
        assertThat(metrics.value("junction_response_bytes_total", "route", "api", "backend", "a")).isPositive();
        assertThat(metrics.value("junction_requests_active")).isZero();
        assertThat(metrics.value("junction_backend_requests_active", "route", "api", "backend", "a")).isZero();
        assertThat(metrics.value("junction_backend_available", "route", "api", "backend", "a")).isEqualTo(1);
        assertThat(metrics.value("junction_backend_reason", "backend", "a", "reason", "available")).isEqualTo(1);
        assertThat(metrics.value("junction_backend_reason", "backend", "a", "reason", "unhealthy")).isZero();
        assertThat(metrics.value("junction_breaker_state", "backend", "a", "state", "closed")).isEqualTo(1);
        assertThat(metrics.value("junction_retries_total", "route", "api")).isZero();
        // The connection the requests went over, pooled again.
        assertThat(metrics.value("junction_backend_connections", "route", "api", "backend", "a", "state", "idle")
                + metrics.value("junction_backend_connections", "route", "api", "backend", "a", "state", "active"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void retriesFallbacksChecksAndBreakersAreCounted() throws Exception {
        TestBackend primary = servers.add(TestBackend.start("primary"));
        TestBackend backup = servers.add(TestBackend.start("backup"));
        TestBackend flaky = servers.add(TestBackend.start("flaky"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("spare").prefix("/spare").stripPrefix(true)
                        .backend(BackendConfig.builder().id("primary").url(primary.url()).disabled(true).build())
                        .backend(BackendConfig.builder().id("backup").url(backup.url()).backup(true).build())
                        .build())
                .route(RouteConfig.builder().name("retry").prefix("/retry").stripPrefix(true)
                        .backend(backend("flaky", flaky))
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMinutes(1))
                                .build())
                        .circuitBreaker(BreakerConfig.builder().build())
                        .retries(RetryConfig.builder().maxAttempts(2).retryStatuses("503")
                                .backoff(Duration.ofMillis(5), Duration.ofMillis(10)).build())
                        .build())
                .admin(AdminConfig.at("/_junction"))
                .build()));

        assertThat(send(gateway, "GET", "/spare/x", null).headers().firstValue("X-Backend")).hasValue("backup");
        assertThat(send(gateway, "GET", "/spare/x", null).headers().firstValue("X-Backend")).hasValue("backup");
        flaky.failNext(1, 503);
        assertThat(send(gateway, "GET", "/retry/x", null).statusCode()).isEqualTo(200);
        flaky.failNext(2, 503);
        assertThat(send(gateway, "GET", "/retry/x", null).statusCode()).isEqualTo(503);
        assertThat(send(gateway, "POST", "/_junction/checks", null).statusCode()).isEqualTo(200);
        assertThat(send(gateway, "POST", "/_junction/breakers/retry/flaky?mode=open", null).statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> countsOfRetriesFallbacksChecksAndBreakers(
                scrape(gateway)));
    }

    private static void countsOfRetriesFallbacksChecksAndBreakers(PrometheusText metrics) {
        assertThat(metrics.value("junction_selection_fallbacks_total", "route", "spare", "kind", "backup"))
                .isEqualTo(2);
        assertThat(metrics.value("junction_selection_fallbacks_total", "route", "spare", "kind", "panic")).isZero();
        assertThat(metrics.value("junction_backend_reason", "route", "spare", "backend", "primary",
                "reason", "disabled")).isEqualTo(1);
        assertThat(metrics.value("junction_retries_total", "route", "retry")).isEqualTo(2);
        assertThat(metrics.value("junction_retries_refused_total", "route", "retry", "reason", "attempts"))
                .isEqualTo(1);
        assertThat(metrics.value("junction_health_checks_seconds_count", "route", "retry", "backend", "flaky",
                "result", "healthy")).isGreaterThanOrEqualTo(2);
        assertThat(metrics.value("junction_breaker_transitions_total", "route", "retry", "backend", "flaky",
                "state", "open")).isEqualTo(1);
        assertThat(metrics.value("junction_breaker_state", "backend", "flaky", "state", "open")).isEqualTo(1);
        assertThat(metrics.value("junction_backend_available", "route", "retry", "backend", "flaky")).isZero();
    }

    @Test
    void withMetricsOffTheEndpointSaysSo() throws Exception {
        TestBackend a = servers.add(TestBackend.start("a"));
        Gateway gateway = servers.add(startGateway(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend(backend("a", a)).build())
                .admin(AdminConfig.at("/_junction").withMetrics(false))
                .build()));
        HttpResponse<String> response = send(gateway, "GET", "/_junction/metrics", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("admin.metrics is false");
        assertThat(send(gateway, "POST", "/_junction/metrics", null).statusCode()).isEqualTo(405);
    }

    private static String[] concat(String[] labels, String... more) {
        String[] all = new String[labels.length + more.length];
        System.arraycopy(labels, 0, all, 0, labels.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }
}
