package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.junction.core.config.AccessLogConfig;
import dev.junction.core.config.AdminConfig;
import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.PrometheusText;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/**
 * The Grafana dashboard in docs/grafana reads only metrics Junction serves: every metric its queries name is in the
 * Prometheus text of a gateway whose traffic has made every kind of meter appear.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "junction-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bjunction_[a-z_]+");

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void everyQueryNamesAMetricJunctionServes() throws Exception {
        Set<String> queried = new TreeSet<>();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher metric = METRIC.matcher(target.get("expr").asText());
                while (metric.find()) {
                    queried.add(family(metric.group()));
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(10);

        Set<String> served = servedAfterEveryKindOfEvent();
        assertThat(served).containsAll(queried);
        assertThat(Files.readString(DASHBOARD)).contains("\"uid\": \"${datasource}\"");
    }

    /** Starts a gateway and makes every meter appear: retries and a refused one, a check, an ejection, a breaker. */
    private Set<String> servedAfterEveryKindOfEvent() throws Exception {
        TestBackend flaky = servers.add(TestBackend.start("flaky"));
        TestBackend steady = servers.add(TestBackend.start("steady"));
        Gateway gateway = servers.add(UndertowGateway.start(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").stripPrefix(true)
                        .backend(BackendConfig.builder().id("flaky").url(flaky.url()).build())
                        .backend(BackendConfig.builder().id("steady").url(steady.url()).build())
                        .healthCheck(HealthCheckConfig.builder().path("/health").interval(Duration.ofMinutes(1))
                                .build())
                        .outlierDetection(OutlierDetectionConfig.builder().consecutive5xx(2).build())
                        .circuitBreaker(BreakerConfig.builder().build())
                        .retries(RetryConfig.builder().maxAttempts(2).retryStatuses("503")
                                .backoff(Duration.ofMillis(5), Duration.ofMillis(10)).build())
                        .build())
                .admin(AdminConfig.at("/_junction"))
                .accessLog(AccessLogConfig.of(AccessLogConfig.Format.JSON))
                .build()));
        for (int i = 0; i < 6; i++) {
            flaky.failNext(1, 500);
            steady.failNext(1, 503);
            send(gateway, "GET", "/api/x");
        }
        send(gateway, "POST", "/_junction/breakers/api/steady?mode=open");
        String text = send(gateway, "GET", "/_junction/metrics").body();
        return PrometheusText.parse(text).samples().stream().map(PrometheusText.Sample::name)
                .map(GrafanaDashboardTest::family).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Returns a series' metric without the suffix of a histogram's parts: {@code junction_requests_seconds}. */
    private static String family(String name) {
        return name.replaceAll("_(bucket|count|sum|max)$", "");
    }

    private HttpResponse<String> send(Gateway gateway, String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri(path)).method(method,
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
