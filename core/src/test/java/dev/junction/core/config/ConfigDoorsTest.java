package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import dev.junction.core.Junction;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;
import dev.junction.core.transport.JettyTransport;

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
                        .upgrades(List.of("websocket", "SPDY"))
                        .backend(BackendConfig.builder().url("http://10.0.6.1:8080").weight(2).maxConcurrent(150)
                                .maxTunnels(100).build())
                        .backend(BackendConfig.builder().url("http://10.0.6.2:8080").weight(1).maxConcurrent(150)
                                .maxTunnels(100).build())
                        .backend(BackendConfig.builder().url("http://10.0.6.9:8080").backup(true).maxConcurrent(150)
                                .maxTunnels(100).build())
                        .build())
                .build();
        JunctionConfig yaml = YamlConfigLoader.load("""
                routes:
                  - name: profile
                    prefix: /profile
                    rewrite: /v2/profile
                    strategy: {name: consistent-hash, key: "header:X-User-Id", algorithm: maglev}
                    whenAllDown: panic
                    upgrades: [websocket, SPDY]
                    backends:
                      - {url: http://10.0.6.1:8080, weight: 2, maxConcurrent: 150, maxTunnels: 100}
                      - {url: http://10.0.6.2:8080, weight: 1, maxConcurrent: 150, maxTunnels: 100}
                      - {url: http://10.0.6.9:8080, backup: true, maxConcurrent: 150, maxTunnels: 100}
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
                Map.entry("maxConcurrent", "150"),
                Map.entry("maxTunnels", "100"),
                Map.entry("upgrades", "websocket, SPDY")));

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

    @Test
    void slowStartMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend("http://10.0.0.1:8080")
                        .slowStart(new SlowStartConfig(Duration.ofSeconds(30), 20)).build())
                .build();
        assertThat(YamlConfigLoader.load("routes: [{name: api, prefix: /api, slowStart: {window: 30s,"
                + " minWeightPercent: 20}, backends: [http://10.0.0.1:8080]}]")).isEqualTo(built);
        assertThat(FlatConfigLoader.load(Map.of("name", "api", "prefix", "/api", "targets", "http://10.0.0.1:8080",
                "slowStart.window", "30s", "slowStart.minWeightPercent", "20"))).isEqualTo(built);
        assertThat(FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1:8080",
                "slowStart.window", "1m")).routes().get(0).slowStart())
                .isEqualTo(SlowStartConfig.of(Duration.ofMinutes(1)));
        assertThat(problems(() -> YamlConfigLoader.load("routes: [{prefix: /api, slowStart: {window: -1s,"
                + " minWeightPercent: 0}, backends: [http://10.0.0.1]}]"))).extracting(ConfigProblem::toString)
                .containsExactly("routes[0].slowStart.window: must be >= 0, 0 for no slow start (was -1s)",
                        "routes[0].slowStart.minWeightPercent: must be from 1 to 100 (was 0)");
        assertThat(problems(() -> YamlConfigLoader.load("routes: [{prefix: /api, slowStart: {minWeightPercent: 5},"
                + " backends: [http://10.0.0.1]}]"))).extracting(ConfigProblem::toString)
                .containsExactly("routes[0].slowStart.window: required");
    }

    @Test
    void theAccessLogMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend("http://10.0.0.1:8080").build())
                .accessLog(AccessLogConfig.of(AccessLogConfig.Format.JSON))
                .build();
        assertThat(YamlConfigLoader.load("""
                routes: [{name: api, prefix: /api, backends: [http://10.0.0.1:8080]}]
                accessLog: {format: json}
                """)).isEqualTo(built);
        assertThat(FlatConfigLoader.load(Map.of("name", "api", "prefix", "/api", "targets", "http://10.0.0.1:8080",
                "accessLog.format", "json"))).isEqualTo(built);
        assertThat(YamlConfigLoader.load("""
                routes: [{prefix: /api, backends: [http://10.0.0.1:8080]}]
                accessLog: {}
                """).accessLog()).isEqualTo(AccessLogConfig.of(AccessLogConfig.Format.COMBINED));
        assertThat(FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1:8080",
                "accessLog.enabled", "false")).accessLog().enabled()).isFalse();
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes: [{prefix: /api, backends: [http://10.0.0.1:8080]}]
                accessLog: {format: apache, file: /var/log/x}
                """))).extracting(ConfigProblem::toString).containsExactly(
                "accessLog.format: 'apache' (expected: combined or json)",
                "accessLog.file: unknown key; known: enabled, format");
    }

    @Test
    void theAdminEndpointMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend("http://10.0.0.1:8080").build())
                .admin(AdminConfig.at("/ops/junction").withToken("t0ken-long-enough-1")
                        .withAllowedHosts(List.of("ops.internal", "10.0.0.5")))
                .build();
        assertThat(YamlConfigLoader.load("""
                routes: [{name: api, prefix: /api, backends: [http://10.0.0.1:8080]}]
                admin: {path: /ops/junction, token: t0ken-long-enough-1, allowedHosts: [ops.internal, 10.0.0.5]}
                """)).isEqualTo(built);
        assertThat(FlatConfigLoader.load(Map.of("name", "api", "prefix", "/api", "targets", "http://10.0.0.1:8080",
                "admin.path", "/ops/junction", "admin.token", "t0ken-long-enough-1",
                "admin.allowedHosts", "ops.internal, 10.0.0.5"))).isEqualTo(built);
        assertThat(YamlConfigLoader.load("""
                routes: [{prefix: /api, backends: [http://10.0.0.1:8080]}]
                admin: {enabled: false}
                """).admin().enabled()).isFalse();
        assertThat(FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1:8080",
                "admin.enabled", "true")).admin()).isEqualTo(AdminConfig.at("/_junction"));
        assertThat(YamlConfigLoader.load("""
                routes: [{prefix: /api, backends: [http://10.0.0.1:8080]}]
                admin: {metrics: false}
                """).admin()).isEqualTo(AdminConfig.at("/_junction").withMetrics(false));
        assertThat(FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1:8080",
                "admin.metrics", "false")).admin()).isEqualTo(AdminConfig.at("/_junction").withMetrics(false));
        assertThat(YamlConfigLoader.load("""
                routes: [{name: api, prefix: /api, backends: [http://10.0.0.1:8080]}]
                admin: {readyRoutes: [api]}
                """).admin()).isEqualTo(AdminConfig.at("/_junction").withReadyRoutes(List.of("api")));
        assertThat(FlatConfigLoader.load(Map.of("name", "api", "prefix", "/api", "targets", "http://10.0.0.1:8080",
                "admin.readyRoutes", "api")).admin())
                .isEqualTo(AdminConfig.at("/_junction").withReadyRoutes(List.of("api")));
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes: [{name: api, prefix: /api, backends: [http://10.0.0.1:8080]}]
                admin: {readyRoutes: [api, orders]}
                """))).extracting(ConfigProblem::toString).containsExactly(
                "admin.readyRoutes[1]: no route is named 'orders' (the routes: api)");
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes: [{prefix: /api, backends: [http://10.0.0.1:8080]}]
                admin: {path: /, token: "two words", user: me, allowedHosts: ["ops internal"]}
                """))).extracting(ConfigProblem::toString).containsExactly(
                "admin.user: unknown key; known: enabled, path, token, allowedHosts, metrics, readyRoutes",
                "admin.path: must not be / (the endpoint would take every request)",
                "admin.token: must be printable text without spaces (the value is not shown)",
                "admin.allowedHosts[0]: must be a host name or address without a port, such as ops.internal or"
                        + " 10.0.0.5 (was 'ops internal')");
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes: [{prefix: /api, backends: [http://10.0.0.1:8080]}]
                admin: {token: s3cret}
                """))).extracting(ConfigProblem::toString).containsExactly(
                "admin.token: must be at least 16 characters, was 6 (a short token can be guessed; the value is not"
                        + " shown)");
        assertThat(AdminConfig.at("/a").withToken("secret").toString()).doesNotContain("secret");
    }

    @Test
    void aBackendsOwnCheckChangesOnlyWhatItNamesOfItsRoutes() {
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends:
                      - url: http://10.0.0.1:8080
                        healthCheck: {port: 9000, expectedStatuses: "200"}
                      - url: http://10.0.0.2:8080
                        healthCheck: false
                      - http://10.0.0.3:8080
                    healthCheck: {path: /health, interval: 2s}
                """);
        RouteConfig route = config.routes().get(0);
        HealthCheckConfig routeCheck = HealthCheckConfig.builder().path("/health").interval(Duration.ofSeconds(2))
                .build();
        assertThat(route.healthCheck()).isEqualTo(routeCheck);
        assertThat(route.backends().get(0).healthCheck())
                .isEqualTo(routeCheck.toBuilder().port(9000).expectedStatuses("200").build());
        assertThat(route.backends().get(1).healthCheck()).isEqualTo(HealthCheckConfig.NONE);
        assertThat(route.backends().get(2).healthCheck()).isNull();

        assertThat(YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends: [{url: http://10.0.0.1:8080, healthCheck: {path: /ready}}]
                """).routes().get(0).backends().get(0).healthCheck())
                .as("a route without a check: the backend's own starts from the defaults")
                .isEqualTo(HealthCheckConfig.builder().path("/ready").build());
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends:
                      - {url: http://10.0.0.1:8080, healthCheck: {interval: 1s}}
                      - {url: http://10.0.0.2:8080, healthCheck: {path: /h, port: 70000}}
                """))).extracting(ConfigProblem::toString).containsExactly(
                "routes[0].backends[0].healthCheck.path: required",
                "routes[0].backends[1].healthCheck.port: must be from 1 to 65535, or 0 for the backend's own"
                        + " (was 70000)");
    }

    @Test
    void aCheckOfOnesOwnIsNamedByItsClassOrByAName() {
        HealthCheckConfig yaml = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    healthCheck: {class: dev.junction.core.config.ConfigDoorsTest$Named, options: {name: db},
                                  interval: 1s}
                    backends: [http://10.0.0.1:8080]
                """).routes().get(0).healthCheck();
        assertThat(yaml.enabled()).isTrue();
        assertThat(yaml.path()).isNull();
        assertThat(yaml.check()).isEqualTo("dev.junction.core.config.ConfigDoorsTest$Named");
        assertThat(yaml.checkOptions()).containsExactly(Map.entry("name", "db"));
        HealthCheckConfig flat = FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1:8080",
                "healthCheck.class", "dev.junction.core.config.ConfigDoorsTest$AlwaysHealthy")).routes().get(0)
                .healthCheck();
        assertThat(flat.check()).isEqualTo("dev.junction.core.config.ConfigDoorsTest$AlwaysHealthy");
        HealthCheckConfig named = YamlConfigLoader.load("""
                routes:
                  - {prefix: /api, healthCheck: {check: tcp}, backends: [http://10.0.0.1:8080]}
                """).routes().get(0).healthCheck();
        assertThat(named.check()).isEqualTo("tcp");
        assertThat(named.enabled()).isTrue();

        assertThat(problems(() -> YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    healthCheck: {class: com.example.Missing}
                    backends:
                      - {url: http://10.0.0.1, healthCheck: {class: java.lang.String}}
                      - url: http://10.0.0.2
                        healthCheck: {class: dev.junction.core.config.ConfigDoorsTest$AlwaysHealthy, options: {x: y}}
                      - {url: http://10.0.0.3, healthCheck: {path: /h, options: {x: y}}}
                      - {url: http://10.0.0.4, healthCheck: {check: registry}}
                """, Junction.builder().configCheck()))).extracting(ConfigProblem::toString).containsExactly(
                "routes[0].backends[2].healthCheck.options: options are for a check of one's own (expected: check or"
                        + " class)",
                "routes[0].healthCheck.class: class 'com.example.Missing' not found",
                "routes[0].backends[0].healthCheck.class: class 'java.lang.String' is not a concrete "
                        + HealthCheck.class.getName(),
                "routes[0].backends[1].healthCheck.class.x: unknown option; class"
                        + " 'dev.junction.core.config.ConfigDoorsTest$AlwaysHealthy' has no constructor taking options",
                "routes[0].backends[3].healthCheck.check: unknown 'registry'; known: tcp, or the class name of a "
                        + HealthCheck.class.getName());
        assertThat(Junction.builder().healthCheck("registry", new AlwaysHealthy()).configCheck().problems(
                YamlConfigLoader.load("""
                        routes:
                          - {prefix: /api, healthCheck: {check: registry}, backends: [http://10.0.0.1:8080]}
                        """))).as("a check registered on the Junction is known").isEmpty();
    }

    @Test
    void theTransportIsNamedThroughEveryDoorAndCheckedAgainstTheBuilders() {
        JunctionConfig yaml = YamlConfigLoader.load("""
                client: {transport: jetty}
                routes:
                  - {prefix: /api, backends: [http://10.0.0.1:8080]}
                """);
        JunctionConfig flat = FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1:8080",
                "client.transport", "jetty"));
        assertThat(yaml.client().transport()).isEqualTo("jetty");
        assertThat(flat.client()).isEqualTo(yaml.client());
        assertThatThrownBy(() -> YamlConfigLoader.load("""
                client: {transport: Netty!}
                routes:
                  - {prefix: /api, backends: [http://10.0.0.1:8080]}
                """)).isInstanceOf(ConfigException.class).hasMessageContaining("client.transport: 'Netty!' is not a"
                        + " transport name (expected: lower-case letters, digits and '-')");

        JunctionConfig undertow = YamlConfigLoader.load("""
                client: {transport: undertow}
                routes:
                  - {prefix: /api, backends: [http://10.0.0.1:8080]}
                """);
        assertThat(Junction.builder().configCheck().problems(undertow)).extracting(ConfigProblem::toString)
                .containsExactly("client.transport: unknown transport 'undertow'; known: jetty (the undertow"
                        + " transport comes with the Undertow adapter)");
        assertThat(Junction.builder().transport("undertow", (client, connect) -> JettyTransport.create(client,
                connect)).configCheck().problems(undertow)).as("a transport registered on the Junction").isEmpty();
        assertThatThrownBy(() -> Junction.builder().build(undertow)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("client.transport: unknown transport 'undertow'");
    }

    @Test
    void breakersRetriesAndFallbacksMeanTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/api").backend("http://10.0.0.1:8080")
                        .circuitBreaker(BreakerConfig.builder().failureStatuses("500-599").failureRatePercent(40)
                                .minimumCalls(50).window(Duration.ofSeconds(20)).delay(Duration.ofSeconds(15))
                                .halfOpenTrials(3).successesToClose(2).build())
                        .retries(RetryConfig.builder().maxAttempts(4).backoff(Duration.ofMillis(50),
                                        Duration.ofSeconds(1))
                                .retryOn(EnumSet.of(RetryConfig.RetryOn.CONNECT_FAILURE, RetryConfig.RetryOn.RESET))
                                .retryStatuses("503").bufferBytes(1024).budget(10, 5)
                                .deadline(Duration.ofSeconds(3)).attemptsHeader(true).build())
                        .fallback(FallbackConfig.of(503, "maintenance").withHeader("Retry-After", "30"))
                        .build())
                .build();
        assertThat(YamlConfigLoader.load("""
                routes:
                  - name: api
                    prefix: /api
                    circuitBreaker: {failureStatuses: 500-599, failureRatePercent: 40, minimumCalls: 50, window: 20s,
                                     delay: 15s, halfOpenTrials: 3, successesToClose: 2}
                    retries: {maxAttempts: 4, backoffBase: 50ms, backoffMax: 1s, retryOn: [connect-failure, reset],
                              retryStatuses: "503", bufferBytes: 1024, budgetPercent: 10, budgetMinPerSecond: 5,
                              deadline: 3s, attemptsHeader: true}
                    fallback: {status: 503, body: maintenance, headers: {Retry-After: "30"}}
                    backends: [http://10.0.0.1:8080]
                """)).isEqualTo(built);
        assertThat(FlatConfigLoader.load(Map.ofEntries(Map.entry("name", "api"), Map.entry("prefix", "/api"),
                Map.entry("targets", "http://10.0.0.1:8080"),
                Map.entry("circuitBreaker.failureStatuses", "500-599"),
                Map.entry("circuitBreaker.failureRatePercent", "40"), Map.entry("circuitBreaker.minimumCalls", "50"),
                Map.entry("circuitBreaker.window", "20s"), Map.entry("circuitBreaker.delay", "15s"),
                Map.entry("circuitBreaker.halfOpenTrials", "3"), Map.entry("circuitBreaker.successesToClose", "2"),
                Map.entry("retries.maxAttempts", "4"), Map.entry("retries.backoffBase", "50ms"),
                Map.entry("retries.backoffMax", "1s"), Map.entry("retries.retryOn", "connect-failure, reset"),
                Map.entry("retries.retryStatuses", "503"), Map.entry("retries.bufferBytes", "1024"),
                Map.entry("retries.budgetPercent", "10"), Map.entry("retries.budgetMinPerSecond", "5"),
                Map.entry("retries.deadline", "3s"), Map.entry("retries.attemptsHeader", "true"),
                Map.entry("fallback.status", "503"), Map.entry("fallback.body", "maintenance"),
                Map.entry("fallback.header.Retry-After", "30")))).isEqualTo(built);
        assertThat(YamlConfigLoader.load("routes: [{prefix: /, retries: {}, circuitBreaker: {},"
                + " backends: [http://h]}]").routes().get(0))
                .satisfies(route -> {
                    assertThat(route.retries()).isEqualTo(RetryConfig.builder().build());
                    assertThat(route.circuitBreaker()).isEqualTo(BreakerConfig.builder().build());
                });
    }

    @Test
    void badBreakersRetriesAndFallbacksAreReportedWithEveryProblem() {
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    circuitBreaker: {failureStatuses: 5xx, consecutiveFailures: 0, delay: 0s, halfOpenTrials: 2,
                                     successesToClose: 3}
                    retries: {maxAttempts: 11, backoffBase: 100ms, backoffMax: 50ms, retryOn: [timeout, teapot],
                              budgetPercent: 101, deadline: 10ms}
                    fallback: {status: 99, headers: {"Bad Name": x}}
                    backends: [http://10.0.0.1]
                """))).extracting(ConfigProblem::toString).containsExactly(
                "routes[0].retries.retryOn: 'teapot' (expected: connect-failure, reset or timeout)",
                "routes[0].circuitBreaker.failureStatuses: '5xx' is not a status or a range such as 200-399",
                "routes[0].circuitBreaker.consecutiveFailures: must be from 1 to 100 (was 0)",
                "routes[0].circuitBreaker.delay: must be > 0 (was 0s)",
                "routes[0].circuitBreaker.successesToClose: must be from 1 to halfOpenTrials (2) (was 3)",
                "routes[0].retries.maxAttempts: must be from 1 to 10 (was 11)",
                "routes[0].retries.backoffMax: must be >= backoffBase (was 50ms)",
                "routes[0].retries.budgetPercent: must be from 0 to 100 (was 101)",
                "routes[0].retries.deadline: must be 0 (none) or longer than backoffMax (was 10ms)",
                "routes[0].fallback.status: must be from 200 to 599 (was 99)",
                "routes[0].fallback.headers: 'Bad Name' is not a header name");
    }

    @Test
    void affinityMeansTheSameThroughEveryDoor() {
        JunctionConfig built = JunctionConfig.builder()
                .route(RouteConfig.builder().name("app").prefix("/").backend("http://10.0.0.1:8080")
                        .affinity(AffinityConfig.builder(AffinityConfig.Mode.COOKIE).cookieName("STICKY")
                                .cookiePath("/app").cookieMaxAge(Duration.ofHours(1)).cookieSecure(true)
                                .cookieSameSite("Strict").trustedProxies(List.of("10.0.0.0/8", "::1"))
                                .boundedLoadPercent(125).ttl(Duration.ofMinutes(10)).maxSessions(5000)
                                .secret("0123456789abcdef0123").build())
                        .build())
                .build();
        assertThat(YamlConfigLoader.load("""
                routes:
                  - name: app
                    prefix: /
                    affinity:
                      mode: cookie
                      cookie: {name: STICKY, path: /app, maxAge: 1h, secure: true, sameSite: Strict}
                      trustedProxies: [10.0.0.0/8, "::1"]
                      boundedLoadPercent: 125
                      ttl: 10m
                      maxSessions: 5000
                      secret: 0123456789abcdef0123
                    backends: [http://10.0.0.1:8080]
                """)).isEqualTo(built);
        assertThat(FlatConfigLoader.load(Map.ofEntries(Map.entry("name", "app"), Map.entry("prefix", "/"),
                Map.entry("targets", "http://10.0.0.1:8080"), Map.entry("affinity.mode", "cookie"),
                Map.entry("affinity.cookie.name", "STICKY"), Map.entry("affinity.cookie.path", "/app"),
                Map.entry("affinity.cookie.maxAge", "1h"), Map.entry("affinity.cookie.secure", "true"),
                Map.entry("affinity.cookie.sameSite", "Strict"),
                Map.entry("affinity.trustedProxies", "10.0.0.0/8, ::1"),
                Map.entry("affinity.boundedLoadPercent", "125"), Map.entry("affinity.ttl", "10m"),
                Map.entry("affinity.maxSessions", "5000"), Map.entry("affinity.secret", "0123456789abcdef0123"))))
                .isEqualTo(built);
        assertThat(built.routes().get(0).affinity().toString()).doesNotContain("0123456789");
        assertThat(problems(() -> YamlConfigLoader.load("""
                routes:
                  - prefix: /
                    affinity: {mode: sticky}
                    backends: [http://10.0.0.1]
                  - prefix: /a
                    affinity: {mode: cookie, cookie: {sameSite: None, name: "a b"}, secret: short,
                               trustedProxies: [10.0.0.0/33, example.com], boundedLoadPercent: 50}
                    backends: [http://10.0.0.1]
                  - prefix: /b
                    affinity: {header: X-Id}
                    backends: [http://10.0.0.1]
                """))).extracting(ConfigProblem::toString).containsExactly(
                "routes[0].affinity.mode: 'sticky' (expected: cookie, header, ip or app-cookie)",
                "routes[2].affinity.mode: required",
                "routes[1].affinity.cookie.name: 'a b' is not a cookie name",
                "routes[1].affinity.cookie.sameSite: None needs secure: true (browsers refuse SameSite=None"
                        + " cookies that are not Secure)",
                "routes[1].affinity.secret: must be at least 16 characters (the value is not shown)",
                "routes[1].affinity.trustedProxies[0]: '10.0.0.0/33' has an invalid prefix length (expected: 0 to"
                        + " 32)",
                "routes[1].affinity.trustedProxies[1]: 'example.com' (expected: an IP address or a CIDR range such"
                        + " as 10.0.0.0/8)",
                "routes[1].affinity.boundedLoadPercent: must be 0 (no bound) or from 100 to 1000 (was 50)");
    }

    /** A check of one's own without options. */
    public static final class AlwaysHealthy implements HealthCheck {
        @Override
        public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
            return CompletableFuture.completedFuture(HealthCheckResult.healthy("fine"));
        }
    }

    /** A check of one's own with options. */
    public static final class Named implements HealthCheck {
        final String name;

        public Named(Map<String, String> options) {
            this.name = options.get("name");
        }

        @Override
        public CompletionStage<HealthCheckResult> check(Backend backend, HealthCheckConfig config) {
            return CompletableFuture.completedFuture(HealthCheckResult.healthy(name));
        }
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
