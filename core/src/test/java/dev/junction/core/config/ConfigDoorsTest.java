package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The builder, YAML and flat keys are three doors to one model: the same configuration gives equal records. */
class ConfigDoorsTest {

    @Test
    void theThreeDoorsOfTheDocumentationGiveEqualConfigurations() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder()
                        .name("api")
                        .prefix("/api")
                        .strategy("weighted-round-robin")
                        .backend(BackendConfig.builder().url("http://10.0.0.1:8080").weight(3).build())
                        .backend("http://10.0.0.2:8080")
                        .backend(BackendConfig.builder().url("http://10.0.9.1:8080").backup(true).build())
                        .build())
                .build();
        JunctionConfig yaml = YamlConfigLoader.load("""
                routes:
                  - name: api
                    prefix: /api
                    strategy: weighted-round-robin
                    backends:
                      - url: http://10.0.0.1:8080
                        weight: 3
                      - http://10.0.0.2:8080
                      - url: http://10.0.9.1:8080
                        backup: true
                """);
        Properties props = new Properties();
        props.setProperty("junction.name", "api");
        props.setProperty("junction.prefix", "/api");
        props.setProperty("junction.strategy", "weighted-round-robin");
        props.setProperty("junction.targets", "http://10.0.0.1:8080, http://10.0.0.2:8080");
        props.setProperty("junction.weights", "3, 1");
        props.setProperty("junction.backups", "http://10.0.9.1:8080");
        JunctionConfig flat = FlatConfigLoader.fromProperties(props, "junction.");

        assertThat(yaml).isEqualTo(built);
        assertThat(flat).isEqualTo(built);
    }

    @Test
    void everyKeyTheFlatDoorKnowsMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder()
                        .name("profile")
                        .prefix("/profile")
                        .rewrite("/v2/profile")
                        .strategy(StrategyConfig.of("consistent-hash",
                                Map.of("key", "header:X-User-Id", "algorithm", "maglev")))
                        .whenAllDown(WhenAllDown.PANIC)
                        .backend(BackendConfig.builder().url("http://10.0.6.1:8080").weight(2).maxConcurrent(150)
                                .build())
                        .backend(BackendConfig.builder().url("http://10.0.6.2:8080").weight(1).maxConcurrent(150)
                                .build())
                        .backend(BackendConfig.builder().url("http://10.0.6.9:8080").backup(true).maxConcurrent(150)
                                .build())
                        .build())
                .build();
        JunctionConfig yaml = YamlConfigLoader.load("""
                routes:
                  - name: profile
                    prefix: /profile
                    rewrite: /v2/profile
                    strategy: {name: consistent-hash, key: "header:X-User-Id", algorithm: maglev}
                    whenAllDown: panic
                    backends:
                      - {url: http://10.0.6.1:8080, weight: 2, maxConcurrent: 150}
                      - {url: http://10.0.6.2:8080, weight: 1, maxConcurrent: 150}
                      - {url: http://10.0.6.9:8080, backup: true, maxConcurrent: 150}
                """);
        JunctionConfig flat = FlatConfigLoader.load(Map.ofEntries(
                Map.entry("name", "profile"),
                Map.entry("prefix", "/profile"),
                Map.entry("rewrite", "/v2/profile"),
                Map.entry("strategy", "consistent-hash"),
                Map.entry("strategy.key", "header:X-User-Id"),
                Map.entry("strategy.algorithm", "maglev"),
                Map.entry("whenAllDown", "panic"),
                Map.entry("targets", "http://10.0.6.1:8080,http://10.0.6.2:8080"),
                Map.entry("weights", "2,1"),
                Map.entry("backups", "http://10.0.6.9:8080"),
                Map.entry("maxConcurrent", "150")));

        assertThat(yaml).isEqualTo(built);
        assertThat(flat).isEqualTo(built);
    }

    @Test
    void aHealthCheckMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend("http://10.0.0.1:8080")
                        .healthCheck(HealthCheckConfig.builder().path("/healthz").method("HEAD")
                                .interval(Duration.ofSeconds(10)).jitter(Duration.ofMillis(500))
                                .timeout(Duration.ofSeconds(1)).expectedStatuses("200-299, 302")
                                .expectedBody("regex:^OK").startHealthy(true).header("Host", "api.internal")
                                .healthyThreshold(3).unhealthyThreshold(5).build())
                        .build())
                .build();
        JunctionConfig yaml = YamlConfigLoader.load("""
                routes:
                  - name: api
                    prefix: /api
                    healthCheck:
                      path: /healthz
                      method: HEAD
                      interval: 10s
                      jitter: 500ms
                      timeout: 1s
                      expectedStatuses: 200-299, 302
                      expectedBody: "regex:^OK"
                      startHealthy: true
                      headers: {Host: api.internal}
                      healthyThreshold: 3
                      unhealthyThreshold: 5
                    backends: [http://10.0.0.1:8080]
                """);
        JunctionConfig flat = FlatConfigLoader.load(Map.ofEntries(
                Map.entry("name", "api"),
                Map.entry("prefix", "/api"),
                Map.entry("targets", "http://10.0.0.1:8080"),
                Map.entry("healthCheck.path", "/healthz"),
                Map.entry("healthCheck.method", "HEAD"),
                Map.entry("healthCheck.interval", "10s"),
                Map.entry("healthCheck.jitter", "500ms"),
                Map.entry("healthCheck.timeout", "1s"),
                Map.entry("healthCheck.expectedStatuses", "200-299, 302"),
                Map.entry("healthCheck.expectedBody", "regex:^OK"),
                Map.entry("healthCheck.startHealthy", "true"),
                Map.entry("healthCheck.header.Host", "api.internal"),
                Map.entry("healthCheck.healthyThreshold", "3"),
                Map.entry("healthCheck.unhealthyThreshold", "5")));

        assertThat(yaml).isEqualTo(built);
        assertThat(flat).isEqualTo(built);
        assertThat(built.routes().get(0).healthCheck().effectiveJitter()).isEqualTo(Duration.ofMillis(500));
        assertThat(HealthCheckConfig.builder().path("/h").build().effectiveJitter()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void outlierDetectionMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend("http://10.0.0.1:8080")
                        .outlierDetection(OutlierDetectionConfig.builder().consecutive5xx(0)
                                .consecutiveConnectFailures(1).baseEjectionTime(Duration.ofSeconds(10))
                                .maxEjectionTime(Duration.ofSeconds(10)).maxEjectionPercent(100)
                                .latencyPercentOfMedian(400).build())
                        .build())
                .build();
        JunctionConfig yaml = YamlConfigLoader.load("""
                routes:
                  - name: api
                    prefix: /api
                    outlierDetection: {consecutive5xx: 0, consecutiveConnectFailures: 1, baseEjectionTime: 10s,
                                       maxEjectionTime: 10s, maxEjectionPercent: 100, latencyPercentOfMedian: 400}
                    backends: [http://10.0.0.1:8080]
                """);
        JunctionConfig flat = FlatConfigLoader.load(Map.ofEntries(
                Map.entry("name", "api"),
                Map.entry("prefix", "/api"),
                Map.entry("targets", "http://10.0.0.1:8080"),
                Map.entry("outlierDetection.consecutive5xx", "0"),
                Map.entry("outlierDetection.consecutiveConnectFailures", "1"),
                Map.entry("outlierDetection.baseEjectionTime", "10s"),
                Map.entry("outlierDetection.maxEjectionTime", "10s"),
                Map.entry("outlierDetection.maxEjectionPercent", "100"),
                Map.entry("outlierDetection.latencyPercentOfMedian", "400")));

        assertThat(yaml).isEqualTo(built);
        assertThat(flat).isEqualTo(built);
        assertThat(YamlConfigLoader.load("routes: [{prefix: /, outlierDetection: {}, backends: [http://h]}]")
                .routes().get(0).outlierDetection()).isEqualTo(OutlierDetectionConfig.builder().build());
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    outlierDetection: {consecutive5xx: 0, consecutiveConnectFailures: 0, baseEjectionTime: 30s,
                                       maxEjectionTime: 10s, maxEjectionPercent: 101}
                    backends: [http://10.0.0.1:8080]
                """))).extracting(ConfigProblem::toString).containsExactly(
                "routes[0].outlierDetection: consecutive5xx, consecutiveConnectFailures and latencyPercentOfMedian"
                        + " are all 0: nothing would eject a backend",
                "routes[0].outlierDetection.maxEjectionTime: must be >= baseEjectionTime (was 10s)",
                "routes[0].outlierDetection.maxEjectionPercent: must be from 0 to 100 (was 101)");
    }

    @Test
    void thePanicThresholdMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend("http://10.0.0.1:8080")
                        .panicThreshold(0).build())
                .build();
        assertThat(YamlConfigLoader.load("routes: [{name: api, prefix: /api, panicThreshold: 0,"
                + " backends: [http://10.0.0.1:8080]}]")).isEqualTo(built);
        assertThat(FlatConfigLoader.load(Map.of("name", "api", "prefix", "/api", "targets", "http://10.0.0.1:8080",
                "panicThreshold", "0"))).isEqualTo(built);
        assertThat(RouteConfig.builder().prefix("/").backend("http://h").build().panicThreshold()).isEqualTo(50);
        assertThat(problems(() -> FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1",
                "panicThreshold", "101")))).extracting(ConfigProblem::toString)
                .containsExactly("routes[0].panicThreshold: must be from 0 (never) to 100 (was 101)");
    }

    @Test
    void aBadHealthCheckIsReportedWithEveryProblem() {
        List<ConfigProblem> problems = problems(() -> YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    healthCheck: {path: health, method: get, interval: 0, expectedStatuses: 200-x,
                                  expectedBody: "regex:(", healthyThreshold: 0, unhealthyThreshold: 101}
                    backends: [http://10.0.0.1:8080]
                """));
        assertThat(problems).extracting(ConfigProblem::path).containsExactly(
                "routes[0].healthCheck.path", "routes[0].healthCheck.method", "routes[0].healthCheck.interval",
                "routes[0].healthCheck.expectedStatuses", "routes[0].healthCheck.expectedBody",
                "routes[0].healthCheck.healthyThreshold",
                "routes[0].healthCheck.unhealthyThreshold");
        assertThat(problems(() -> FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1",
                "healthCheck.interval", "5s")))).extracting(ConfigProblem::path)
                .containsExactly("healthCheck.path");
    }

    @Test
    void theSameMistakeGetsTheSameMessageThroughEveryDoor() {
        List<ConfigProblem> expected =
                List.of(new ConfigProblem("routes[0].backends[0].weight", "must be > 0 (was 0)"));
        RouteConfig route = RouteConfig.builder().prefix("/api")
                .backend(BackendConfig.builder().url("http://10.0.0.1").weight(0).build()).build();

        assertThat(problems(() -> JunctionConfig.builder().route(route).build())).isEqualTo(expected);
        assertThat(problems(() -> YamlConfigLoader.load("routes: [{prefix: /api, backends: [{url: http://10.0.0.1,"
                + " weight: 0}]}]"))).isEqualTo(expected);
        assertThat(problems(() -> FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1",
                "weights", "0")))).isEqualTo(expected);
    }

    private static List<ConfigProblem> problems(Runnable load) {
        try {
            load.run();
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a ConfigException");
    }
}
