package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.junction.core.Junction;
import dev.junction.core.internal.balance.Strategies;

class YamlConfigLoaderTest {

    @Test
    void loadsEveryKeyOfARouteAndItsBackends() {
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - name: api
                    prefix: /api
                    rewrite: /v2
                    strategy: {name: consistent-hash, key: "header:X-User-Id", algorithm: maglev}
                    whenAllDown: panic
                    backends:
                      - url: http://10.0.0.1:8080
                        id: a
                        weight: 3
                        backup: false
                        disabled: true
                        maxConcurrent: 100
                        metadata: {zone: eu-1}
                      - http://10.0.0.2:8080
                      - url: http://10.0.0.3:8080
                        backup: true
                  - prefix: /web
                    stripPrefix: true
                    strategy: least-connections
                    backends: [http://10.0.1.1]
                """);

        assertThat(config).isEqualTo(JunctionConfig.builder()
                .route(RouteConfig.builder()
                        .name("api")
                        .prefix("/api")
                        .rewrite("/v2")
                        .strategy(StrategyConfig.of("consistent-hash",
                                Map.of("key", "header:X-User-Id", "algorithm", "maglev")))
                        .whenAllDown(WhenAllDown.PANIC)
                        .backend(BackendConfig.builder().url("http://10.0.0.1:8080").id("a").weight(3).disabled(true)
                                .maxConcurrent(100).metadata("zone", "eu-1").build())
                        .backend("http://10.0.0.2:8080")
                        .backend(BackendConfig.builder().url("http://10.0.0.3:8080").backup(true).build())
                        .build())
                .route(RouteConfig.builder().prefix("/web").stripPrefix(true).strategy("least-connections")
                        .backend("http://10.0.1.1").build())
                .build());
    }

    @Test
    void appliesTheDefaultsOfEveryOptionalKey() {
        RouteConfig route = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends:
                      - url: http://10.0.0.1:8080
                """).routes().get(0);

        assertThat(route.name()).isEqualTo("/api");
        assertThat(route.stripPrefix()).isFalse();
        assertThat(route.rewrite()).isNull();
        assertThat(route.strategy()).isEqualTo(StrategyConfig.DEFAULT);
        assertThat(route.whenAllDown()).isEqualTo(WhenAllDown.FAIL);
        assertThat(route.backends()).containsExactly(BackendConfig.builder().url("http://10.0.0.1:8080")
                .id("10.0.0.1:8080").weight(1).backup(false).disabled(false).maxConcurrent(0).build());
    }

    @Test
    void readsWhatARouteTakesBesidesItsPrefix() {
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    match:
                      hosts: [api.example.com, "*.api.example.com"]
                      methods: GET, HEAD
                      headers:
                        - name: X-Canary
                          exact: always
                        - name: X-Version
                          regex: "v[23]"
                        - name: X-Beta
                        - name: X-Internal
                          present: false
                      query:
                        - name: debug
                          exact: "1"
                      clients: [10.0.0.0/8]
                    backends: [http://10.0.0.1]
                """);
        assertThat(config.routes().get(0).match()).isEqualTo(MatchConfig.builder()
                .hosts(List.of("api.example.com", "*.api.example.com")).methods(List.of("GET", "HEAD"))
                .header(FieldMatch.exact("X-Canary", "always")).header(FieldMatch.regex("X-Version", "v[23]"))
                .header(FieldMatch.present("X-Beta")).header(FieldMatch.absent("X-Internal"))
                .query(FieldMatch.exact("debug", "1")).clients(List.of("10.0.0.0/8")).build());
    }

    @Test
    void readsHeaderRulesInOrder() {
        RouteConfig route = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    requestHeaders:
                      set: {X-Env: prod, X-Real-IP: "${client}"}
                      add: {X-Trace: "${route}/${backend}"}
                      remove: X-Debug, Cookie
                    responseHeaders:
                      remove: [Server]
                      set:
                        Strict-Transport-Security: max-age=63072000
                    backends: [http://10.0.0.1]
                """).routes().get(0);
        assertThat(route.requestHeaders()).isEqualTo(new HeaderRulesConfig(
                Map.of("X-Env", "prod", "X-Real-IP", "${client}"), Map.of("X-Trace", "${route}/${backend}"),
                List.of("X-Debug", "Cookie")));
        assertThat(route.requestHeaders().set().keySet()).containsExactly("X-Env", "X-Real-IP");
        assertThat(route.responseHeaders()).isEqualTo(new HeaderRulesConfig(
                Map.of("Strict-Transport-Security", "max-age=63072000"), Map.of(), List.of("Server")));
    }

    @Test
    void readsAReleaseItsGroupsAndZoneAwareness() {
        JunctionConfig config = YamlConfigLoader.load("""
                client:
                  zone: eu-1a
                routes:
                  - prefix: /
                    zoneAware: {minHealthyPercent: 60}
                    release:
                      baseline: stable
                      shares: {canary: 5}
                      key: cookie:session
                      forceHeader: X-Canary
                      forceCookie: canary
                      sessions: follow
                      rollout: {steps: [5, 25, 50, 100], interval: 10m, start: true}
                      rollback: {errorRateMargin: 5, latencyMargin: 50, minRequests: 30, window: 2m}
                    backends:
                      - url: http://10.0.0.1
                        group: stable
                        metadata: {zone: eu-1a}
                      - url: http://10.0.0.2
                        group: canary
                        metadata: {zone: eu-1b}
                """);
        RouteConfig route = config.routes().get(0);
        assertThat(config.client().zone()).isEqualTo("eu-1a");
        assertThat(route.zoneAware()).isEqualTo(new ZoneAwareConfig(true, 60, 50));
        assertThat(route.groups()).containsExactly("stable", "canary");
        assertThat(route.release()).isEqualTo(new ReleaseConfig("stable", Map.of("canary", 5), "cookie:session",
                "X-Canary", "canary", new ReleaseConfig.Rollout(null, List.of(5, 25, 50, 100), Duration.ofMinutes(10),
                        true), new ReleaseConfig.Rollback(5, 50, 30, Duration.ofMinutes(2)),
                ReleaseConfig.Sessions.FOLLOW));
        assertThat(YamlConfigLoader.load("""
                client: {zone: a}
                routes: [{prefix: /, zoneAware: true, backends: [http://10.0.0.1]}]
                """).routes().get(0).zoneAware()).isEqualTo(ZoneAwareConfig.DEFAULT);
    }

    @Test
    void reportsConditionsThatAreNotOneThing() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    match:
                      headers:
                        - name: X-Canary
                          exact: always
                          regex: a.*
                        - exact: x
                        - name: X-Other
                          equals: x
                      method: GET
                    backends: [http://10.0.0.1]
                """)).containsExactly(
                        problem("routes[0].match.headers[0]", "gives more than one of exact, regex and present"
                                + " (expected: one of them, or none for present)"),
                        problem("routes[0].match.headers[1].name", "required"),
                        problem("routes[0].match.headers[2].equals", "unknown key; known: name, exact, regex,"
                                + " present"),
                        problem("routes[0].match.method", "unknown key; known: hosts, methods, headers, query,"
                                + " clients"));
    }

    @Test
    void readsAClusterAndGivesItsWorkersARouteWhenThereIsNone() {
        JunctionConfig config = YamlConfigLoader.load("""
                cluster:
                  workers: 3
                  command: java -Dapp.name="my app" -jar 'app one.jar' --port {port} --id={id}
                  basePort: 7000
                  host: 127.0.0.2
                  environment: {JAVA_TOOL_OPTIONS: -Xmx256m}
                  directory: /srv/app
                  startTimeout: 45s
                  gracePeriod: 20s
                  healthPath: /health
                  healthInterval: 5s
                  healthTimeout: 2s
                  healthFailures: 4
                  restartDelay: 1s
                  maxRestartDelay: 1m
                  crashLoopRestarts: 7
                  crashLoopWindow: 5m
                """);
        ClusterConfig cluster = config.cluster();
        assertThat(cluster).isEqualTo(new ClusterConfig(3, List.of("java", "-Dapp.name=my app", "-jar", "app one.jar",
                "--port", "{port}", "--id={id}"), 7000, "127.0.0.2", Map.of("JAVA_TOOL_OPTIONS", "-Xmx256m"),
                "/srv/app", List.of(), Duration.ofSeconds(45), Duration.ofSeconds(20), "/health",
                Duration.ofSeconds(5), Duration.ofSeconds(2), 4, Duration.ofSeconds(1), Duration.ofMinutes(1), 7,
                Duration.ofMinutes(5)));
        assertThat(cluster.commandFor(2, 7002)).containsExactly("java", "-Dapp.name=my app", "-jar", "app one.jar",
                "--port", "7002", "--id=2");
        assertThat(config.routes()).singleElement().satisfies(route -> {
            assertThat(route.name()).isEqualTo(JunctionConfig.WORKERS_ROUTE);
            assertThat(route.prefix()).isEqualTo("/");
            assertThat(route.backends()).isEmpty();
            assertThat(route.retries()).isEqualTo(JunctionConfig.WORKER_RETRIES);
        });
        assertThat(config.clusterRoutes()).isEqualTo(config.routes());
    }

    @Test
    void readsAClusterServingTheRoutesWithoutBackendsOrThoseItNames() {
        JunctionConfig config = YamlConfigLoader.load("""
                cluster:
                  workers: auto
                  command: [./app, "--port={port}"]
                routes:
                  - {name: app, prefix: /}
                  - {name: static, prefix: /static, backends: [http://10.0.0.1]}
                """);
        assertThat(config.cluster().workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.cluster().command()).containsExactly("./app", "--port={port}");
        assertThat(config.clusterRoutes()).extracting(RouteConfig::name).containsExactly("app");
        assertThat(config.routes().get(1).retries()).as("not the workers' route").isEqualTo(RetryConfig.NONE);

        assertThat(problemsOf("""
                cluster:
                  workers: 2
                  command: ./app 'unclosed
                  routes: [api, static]
                  replicas: 2
                routes:
                  - {name: static, prefix: /static, backends: [http://10.0.0.1]}
                  - {name: other, prefix: /other}
                """)).containsExactly(
                        problem("cluster.command", "'./app 'unclosed': the quote ' at character 7 is not closed"),
                        problem("cluster.replicas", "unknown key; known: workers, command, basePort, host, environment,"
                                + " directory, routes, startTimeout, gracePeriod, healthPath, healthInterval,"
                                + " healthTimeout, healthFailures, restartDelay, maxRestartDelay, crashLoopRestarts,"
                                + " crashLoopWindow"),
                        problem("cluster.routes[0]", "no route is named 'api' (the routes: static, other)"),
                        problem("routes[0].backends", "route 'static' is served by the cluster's workers"
                                + " (cluster.routes): leave its backends out"),
                        problem("routes[1].backends", "at least one backend is required"));
    }

    @Test
    void readsDurationsWithFractionsAndInIso8601() {
        RouteConfig route = YamlConfigLoader.load("""
                routes:
                  - prefix: /
                    timeouts: {connect: 1.5s, response: pt2m30s, idle: 0.25m, total: 0.5s}
                    backends: [http://10.0.0.1]
                """).routes().get(0);
        assertThat(route.timeouts().connect()).isEqualTo(Duration.ofMillis(1500));
        assertThat(route.timeouts().response()).isEqualTo(Duration.ofSeconds(150));
        assertThat(route.timeouts().idle()).isEqualTo(Duration.ofSeconds(15));
        assertThat(route.timeouts().total()).isEqualTo(Duration.ofMillis(500));
        assertThat(problemsOf("""
                routes:
                  - prefix: /
                    timeouts: {connect: 0.5ms, response: PT5X, idle: 1.5, total: PT0.0001S}
                    backends: [http://10.0.0.1]
                """)).containsExactly(
                        problem("routes[0].timeouts.connect", "'0.5ms' is finer than a millisecond"),
                        problem("routes[0].timeouts.response", "'PT5X' (expected: a duration such as 500ms, 5s or 2m)"),
                        problem("routes[0].timeouts.idle", "'1.5' (expected: a duration such as 500ms, 5s or 2m)"),
                        problem("routes[0].timeouts.total", "'PT0.0001S' is finer than a millisecond"));
    }

    @Test
    void replacesEnvironmentVariablesInValuesWithTheirDefaults() {
        Map<String, String> environment = Map.of("BACKEND", "http://10.0.0.7:8080", "ADMIN_TOKEN",
                "0123456789abcdef0123", "EMPTY", "");
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - prefix: ${PREFIX:-/api}
                    timeouts: {connect: "${CONNECT_TIMEOUT:-2s}", response: "${EMPTY:-7s}"}
                    requestHeaders: {set: {X-Client: "${client} $${HOME}"}}
                    backends: ["${BACKEND}"]
                admin: {path: /_junction, token: "${ADMIN_TOKEN}"}
                """, environment::get);
        RouteConfig route = config.routes().get(0);
        assertThat(route.prefix()).isEqualTo("/api");
        assertThat(route.backends().get(0).url()).isEqualTo("http://10.0.0.7:8080");
        assertThat(route.timeouts().connect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(route.timeouts().response()).as("empty takes the default").isEqualTo(Duration.ofSeconds(7));
        assertThat(route.requestHeaders().set()).containsEntry("X-Client", "${client} $${HOME}");
        assertThat(config.admin().token()).isEqualTo("0123456789abcdef0123");

        ConfigException missing = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load("""
                routes:
                  - prefix: /
                    backends: ["${UPSTREAM}"]
                """, environment::get));
        assertThat(missing.problems()).containsExactly(problem("routes[0].backends[0]", "${UPSTREAM}: the"
                + " environment variable UPSTREAM is not set (give a default: ${UPSTREAM:-value})"));

        ConfigException unread = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load("""
                routes:
                  - prefix: /
                    requestHeaders: {set: {X-Price: "$$${BACKEND}", X-Key: "${KEY:-${BACKEND}}"}}
                    backends: ["${Backend}"]
                """, environment::get));
        assertThat(unread.problems()).containsExactly(
                problem("routes[0].requestHeaders.set.X-Key", "'${KEY:-${BACKEND}}' has a reference Junction does not"
                        + " read at character 1 (expected: ${NAME} or ${NAME:-default}, NAME in upper case, nothing"
                        + " nested)"),
                problem("routes[0].backends[0]", "'${Backend}' has a reference Junction does not read at character 1"
                        + " (expected: ${NAME} or ${NAME:-default}, NAME in upper case, nothing nested)"));
    }

    @Test
    void reportsUnknownKeysAtEveryLevelWithTheKnownOnes() {
        assertThat(problemsOf("""
                route: x
                routes:
                  - prefix: /api
                    strategi: round-robin
                    backends:
                      - url: http://10.0.0.1
                        wieght: 3
                """)).containsExactly(
                        problem("route", "unknown key; known: routes, client, limits, admin, accessLog, sharedLimits,"
                                + " cluster, x-<name>"),
                        problem("routes[0].strategi", "unknown key; known: name, prefix, stripPrefix, rewrite,"
                                + " strategy, whenAllDown, timeouts, preserveHost, forwarded, via, trustedProxies,"
                                + " healthCheck,"
                                + " outlierDetection, panicThreshold, slowStart, circuitBreaker, retries, fallback,"
                                + " affinity, upgrades, tls, protocol, queue, rateLimits, adaptiveConcurrency,"
                                + " match, requestHeaders, responseHeaders, release, zoneAware, scaling, resolve,"
                                + " backends"),
                        problem("routes[0].backends[0].wieght", "unknown key; known: url, id, weight, backup, disabled,"
                                + " maxConcurrent, maxTunnels, protocol, metadata, healthCheck, group, resolve"));
    }

    @Test
    void reportsValuesOfTheWrongType() {
        assertThat(problemsOf("""
                routes:
                  - prefix: [/api]
                    stripPrefix: 1
                    whenAllDown: {mode: fail}
                    strategy: [round-robin]
                    backends:
                      - url: http://10.0.0.1
                        weight: abc
                      - url: {host: 10.0.0.2}
                        weight: 2.5
                        maxConcurrent: [1]
                        metadata: zone=eu-1
                      - url: http://10.0.0.3
                        backup: yes
                        disabled: on
                        metadata: {zone: [eu-1]}
                """)).containsExactly(
                        problem("routes[0].prefix", "a list (expected: a path such as /api)"),
                        problem("routes[0].stripPrefix", "'1' (expected: true or false)"),
                        problem("routes[0].whenAllDown", "a mapping (expected: fail or panic)"),
                        problem("routes[0].strategy", "a list (expected: a strategy name, or a mapping with name and"
                                + " options)"),
                        problem("routes[0].backends[0].weight", "'abc' (expected: an integer)"),
                        problem("routes[0].backends[1].url", "a mapping (expected: a URL such as"
                                + " http://10.0.0.1:8080)"),
                        problem("routes[0].backends[1].weight", "'2.5' (expected: an integer)"),
                        problem("routes[0].backends[1].maxConcurrent", "a list (expected: an integer)"),
                        problem("routes[0].backends[1].metadata", "'zone=eu-1' (expected: a mapping of labels)"),
                        problem("routes[0].backends[2].backup", "'yes' (expected: true or false)"),
                        problem("routes[0].backends[2].disabled", "'on' (expected: true or false)"),
                        problem("routes[0].backends[2].metadata.zone", "a list (expected: a label)"));
    }

    @Test
    void reportsAKeyWithoutAValueRatherThanDefaultingIt() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    rewrite:
                    backends:
                      - url: http://10.0.0.1
                        weight:
                        backup: ~
                        metadata:
                          zone:
                """)).containsExactly(
                        problem("routes[0].rewrite", "no value (expected: a path such as /v2)"),
                        problem("routes[0].backends[0].weight", "no value (expected: an integer)"),
                        problem("routes[0].backends[0].backup", "no value (expected: true or false)"),
                        problem("routes[0].backends[0].metadata.zone", "no value (expected: a label)"));
    }

    @Test
    void acceptsIntegersWrittenAsWholeDecimalNumbers() {
        BackendConfig backend = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends:
                      - url: http://10.0.0.1
                        weight: 3.0
                        maxConcurrent: "+250"
                """).routes().get(0).backends().get(0);

        assertThat(backend.weight()).isEqualTo(3);
        assertThat(backend.maxConcurrent()).isEqualTo(250);
    }

    @Test
    void rejectsIntegersThatAreNotPlainDecimalOrDoNotFit() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    backends:
                      - url: http://10.0.0.1
                        weight: 0x10
                        maxConcurrent: 3000000000
                      - url: http://10.0.0.2
                        weight: 1_000
                        maxConcurrent: .inf
                """)).containsExactly(
                        problem("routes[0].backends[0].weight", "'0x10' (expected: an integer)"),
                        problem("routes[0].backends[0].maxConcurrent", "'3000000000' (expected: an integer from"
                                + " -2147483648 to 2147483647)"),
                        problem("routes[0].backends[1].weight", "'1_000' (expected: an integer)"),
                        problem("routes[0].backends[1].maxConcurrent", "'.inf' (expected: an integer)"));
    }

    @Test
    void acceptsOnlyTrueAndFalseAsBooleansInAnyCase() {
        List<BackendConfig> backends = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends:
                      - {url: http://10.0.0.1, backup: false}
                      - {url: http://10.0.0.2, backup: True}
                      - {url: http://10.0.0.3, backup: "true", disabled: FALSE}
                """).routes().get(0).backends();

        assertThat(backends).extracting(BackendConfig::backup).containsExactly(false, true, true);
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    stripPrefix: y
                    backends: [http://10.0.0.1]
                """)).containsExactly(problem("routes[0].stripPrefix", "'y' (expected: true or false)"));
    }

    @Test
    void keepsTextAsWrittenWhereYamlWouldReadANumberOrBoolean() {
        BackendConfig backend = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends:
                      - url: http://10.0.0.1
                        id: 010
                        metadata: {version: 1.10, country: NO, canary: yes, build: 0x1F}
                """).routes().get(0).backends().get(0);

        assertThat(backend.id()).isEqualTo("010");
        assertThat(backend.metadata())
                .containsExactlyInAnyOrderEntriesOf(Map.of("version", "1.10", "country", "NO", "canary", "yes",
                        "build", "0x1F"));
    }

    @Test
    void readsWhenAllDownInAnyCaseAndRejectsOtherValues() {
        assertThat(YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    whenAllDown: PANIC
                    backends: [http://10.0.0.1]
                """).routes().get(0).whenAllDown()).isEqualTo(WhenAllDown.PANIC);
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    whenAllDown: panik
                    backends: [http://10.0.0.1]
                """)).containsExactly(problem("routes[0].whenAllDown", "'panik' (expected: fail or panic)"));
    }

    @Test
    void reportsMissingRequiredKeys() {
        assertThat(problemsOf("""
                routes:
                  - name: api
                  - prefix: /web
                    strategy: {key: ip}
                    backends:
                      - http://10.0.0.1
                      - weight: 2
                """)).containsExactly(
                        problem("routes[0].prefix", "required"),
                        problem("routes[0].backends", "required"),
                        problem("routes[1].strategy.name", "required"),
                        problem("routes[1].backends[1].url", "required"));
        assertThat(problemsOf("x-defaults: {weight: 1}\n")).containsExactly(problem("routes", "required"));
    }

    @Test
    void reportsABackendEntryThatIsNeitherAUrlNorAMapping() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    backends:
                      - http://10.0.0.1
                      -
                      - [http://10.0.0.2]
                """)).containsExactly(
                        problem("routes[0].backends[1]", "no value (expected: a URL or a mapping with url)"),
                        problem("routes[0].backends[2]", "a list (expected: a URL or a mapping with url)"));
    }

    @Test
    void reportsARouteEntryOrRoutesThatAreNotTheRightShape() {
        assertThat(problemsOf("routes: /api\n"))
                .containsExactly(problem("routes", "'/api' (expected: a list of routes)"));
        assertThat(problemsOf("routes:\n  - /api\n  - ~\n")).containsExactly(
                problem("routes[0]", "'/api' (expected: a mapping with prefix and backends)"),
                problem("routes[1]", "no value (expected: a mapping with prefix and backends)"));
    }

    @Test
    void reportsLoaderAndModelProblemsInOneException() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    strategi: random
                    backends:
                      - url: http://10.0.0.1
                        weight: 0
                      - url: http://10.0.0.2
                        weight: x
                """));

        assertThat(e.problems()).containsExactly(
                problem("routes[0].strategi", "unknown key; known: name, prefix, stripPrefix, rewrite, strategy,"
                        + " whenAllDown, timeouts, preserveHost, forwarded, via, trustedProxies, healthCheck,"
                        + " outlierDetection,"
                        + " panicThreshold, slowStart, circuitBreaker, retries, fallback, affinity, upgrades, tls,"
                        + " protocol, queue, rateLimits, adaptiveConcurrency, match, requestHeaders, responseHeaders,"
                        + " release, zoneAware, scaling, resolve, backends"),
                problem("routes[0].backends[1].weight", "'x' (expected: an integer)"),
                problem("routes[0].backends[0].weight", "must be > 0 (was 0)"));
        assertThat(e.getMessage()).startsWith("Invalid Junction configuration (3 problems)");
    }

    @Test
    void validatesTheRestOfARouteOrBackendWhoseRequiredValueIsMissing() {
        // The placeholders standing in for the missing prefix and URL neither hide the other problems nor shift
        // their indices, and cause none of their own (no duplicate prefix, id or name).
        assertThat(problemsOf("""
                routes:
                  - strategy: fastest
                    backends:
                      - weight: 0
                      - weight: 2000
                  - prefix: /web
                    backends:
                      - url: ftp://10.0.0.9
                  - prefix: /api
                    backends: [http://10.0.0.1]
                """)).containsExactly(
                        problem("routes[0].backends[0].url", "required"),
                        problem("routes[0].backends[1].url", "required"),
                        problem("routes[0].prefix", "required"),
                        problem("routes[0].backends[0].weight", "must be > 0 (was 0)"),
                        problem("routes[0].backends[1].weight", "must be <= 1000 (was 2000)"),
                        problem("routes[1].backends[0].url", "'ftp://10.0.0.9' (expected: an http:// or https://"
                                + " URL)"),
                        problem("routes[0].strategy", "unknown 'fastest'; known: "
                                + String.join(", ", Strategies.of(Map.of(), getClass().getClassLoader()).names())
                                + ", or the class name of a dev.junction.core.spi.LoadBalancer"));
    }

    @Test
    void passesStrategyOptionsToTheStrategyWhichChecksThem() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    strategy: {name: consistent-hash, key: "hedder:X", seed: 42}
                    backends: [http://10.0.0.1]
                """)).containsExactly(
                        problem("routes[0].strategy.seed", "unknown option (consistent-hash takes: key, algorithm)"));
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    strategy: {name: consistent-hash, key: "hedder:X"}
                    backends: [http://10.0.0.1]
                """)).containsExactly(problem("routes[0].strategy.key",
                        "'hedder:X' (expected: ip, path, header:NAME or cookie:NAME)"));
    }

    @Test
    void reportsASyntaxErrorWithLineAndColumn() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    backends: [http://10.0.0.1
                  - prefix: /web
                """)).containsExactly(problem("", "YAML syntax error in <string> at line 4, column 11: expected ','"
                        + " or ']', but got : (while parsing a flow sequence at line 3, column 15)"));
    }

    @Test
    void reportsTabIndentationAsASyntaxError() {
        assertThat(problemsOf("routes:\n\t- prefix: /api\n")).containsExactly(problem("",
                "YAML syntax error in <string> at line 2, column 1: found character '\\t(TAB)' that cannot start any"
                        + " token. (Do not use \\t(TAB) for indentation) (while scanning for the next token)"));
    }

    @Test
    void reportsASequenceEntryWhereNoneIsAllowed() {
        assertThat(problemsOf("routes: - prefix: /api\n")).containsExactly(problem("",
                "YAML syntax error in <string> at line 1, column 9: sequence entries are not allowed here"));
    }

    @Test
    void reportsEveryDuplicateKeyWithItsLines() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    backends:
                      - url: http://10.0.0.1
                        weight: 2
                        weight: 3
                    prefix: /web
                """)).containsExactly(
                        problem("routes[0].backends[0].weight", "duplicate key at line 6 (first at line 5)"),
                        problem("routes[0].prefix", "duplicate key at line 7 (first at line 2)"));
    }

    @Test
    void reportsAnEmptyDocument() {
        for (String empty : List.of("", "\n", "# nothing configured yet\n", "---\n", "~\n")) {
            assertThat(problemsOf(empty)).as("document %s", empty)
                    .containsExactly(problem("", "<string> is empty (expected: a mapping with the key 'routes')"));
        }
    }

    @Test
    void reportsATopLevelThatIsNotAMapping() {
        assertThat(problemsOf("- prefix: /api\n"))
                .containsExactly(problem("", "<string> holds a list (expected: a mapping with the key 'routes')"));
        assertThat(problemsOf("routes\n"))
                .containsExactly(problem("", "<string> holds 'routes' (expected: a mapping with the key 'routes')"));
    }

    @Test
    void reportsASecondDocument() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    backends: [http://10.0.0.1]
                ---
                routes: []
                """)).containsExactly(problem("",
                        "<string> holds more than one YAML document (the second starts at line 5; expected: one)"));
    }

    @Test
    void acceptsATrailingDocumentMarker() {
        assertThat(YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    backends: [http://10.0.0.1]
                ---
                """).routes()).hasSize(1);
    }

    @Test
    void resolvesAliasesOfListsAndMappingsAndMergeKeys() {
        JunctionConfig config = YamlConfigLoader.load("""
                x-pool: &pool
                  - http://10.0.0.1
                  - http://10.0.0.2
                x-backend: &limited {maxConcurrent: 50, weight: 2}
                routes:
                  - prefix: /api
                    backends: *pool
                  - prefix: /web
                    backends: *pool
                  - prefix: /static
                    backends:
                      - <<: *limited
                        url: http://10.0.0.3
                        weight: 5
                """);

        assertThat(config.routes().get(1).backends()).isEqualTo(config.routes().get(0).backends()).hasSize(2);
        assertThat(config.routes().get(2).backends().get(0)).isEqualTo(BackendConfig.builder()
                .url("http://10.0.0.3").weight(5).maxConcurrent(50).build());
    }

    @Test
    void reportsAnAliasOfNothingAndAMergeOfSomethingThatIsNotAMapping() {
        assertThat(problemsOf("""
                x-zone: &zone eu-1
                routes:
                  - prefix: /api
                    backends: *pool
                  - prefix: /web
                    backends:
                      - <<: *zone
                        url: http://10.0.0.1
                      - <<: [{weight: 2}, plain]
                        url: http://10.0.0.2
                """)).containsExactly(
                        problem("routes[0].backends", "alias '*pool' refers to no mapping or list anchored before it"
                                + " (anchors of single values are not supported)"),
                        problem("routes[1].backends[0].<<", "alias '*zone' refers to no mapping or list anchored"
                                + " before it (anchors of single values are not supported)"),
                        problem("routes[1].backends[1].<<[1]", "'plain' (expected: an alias of a mapping, or a list of"
                                + " them)"));
    }

    @Test
    void loadsAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, "routes:\n  - prefix: /api\n    backends: [http://10.0.0.1]\n");

        assertThat(YamlConfigLoader.load(file).routes()).extracting(RouteConfig::prefix).containsExactly("/api");
    }

    @Test
    void namesTheFileInProblemsOfTheWholeDocument(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("junction.yaml");
        Files.writeString(file, "routes: [\n");

        assertThat(problemsOf(() -> YamlConfigLoader.load(file))).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("YAML syntax error in " + file + " at line 2"));
    }

    @Test
    void reportsAMissingFileByName(@TempDir Path dir) {
        Path file = dir.resolve("missing.yaml");

        assertThat(problemsOf(() -> YamlConfigLoader.load(file)))
                .containsExactly(problem("", "file not found: " + file));
    }

    @Test
    void reportsADirectoryAsUnreadable(@TempDir Path dir) {
        assertThat(problemsOf(() -> YamlConfigLoader.load(dir))).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("cannot read " + dir + ": "));
    }

    @Test
    void readsAUtf8StreamWithoutClosingItAndNamesItsSource() {
        AtomicBoolean closed = new AtomicBoolean();
        String yaml = "\uFEFFroutes:\n  - prefix: /café\n    backends: [http://10.0.0.1]\n";
        InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        assertThat(problemsOf(() -> YamlConfigLoader.load(in, "classpath:junction.yaml"))).containsExactly(
                problem("routes[0].prefix", "'/café' contains 'é' (expected: a plain path without query, fragment,"
                        + " percent-escapes or spaces)"));
        assertThat(closed).isFalse();
        assertThat(problemsOf(() -> YamlConfigLoader.load(new ByteArrayInputStream(new byte[0]), "config-map")))
                .containsExactly(problem("", "config-map is empty (expected: a mapping with the key 'routes')"));
    }

    @Test
    void reportsAStreamThatIsNotUtf8() {
        byte[] utf16 = "routes: []\n".getBytes(StandardCharsets.UTF_16);

        assertThat(problemsOf(() -> YamlConfigLoader.load(new ByteArrayInputStream(utf16), "legacy.yaml")))
                .singleElement().satisfies(p -> assertThat(p.message())
                        .startsWith("cannot read legacy.yaml: Invalid UTF-8 start byte 0xfe"));
    }

    @Test
    void readsAQuotedEmptyValueAsTextAndAnEmptyPlainOneAsNoValue() {
        assertThat(problemsOf("""
                routes:
                  - prefix: /api
                    name: ''
                    backends:
                      - url: http://10.0.0.1
                        id:
                """)).containsExactly(
                        problem("routes[0].backends[0].id", "no value (expected: an id)"),
                        problem("routes[0].name", "must not be blank"));
    }

    @Test
    void neverFailsWithoutAConfigException() {
        List<String> documents = List.of(
                "routes: ~\n",
                "routes: [~]\n",
                "routes: [{}]\n",
                "routes: [{prefix: ~, name: ~, backends: [~, {}, {url: ~, metadata: ~}]}]\n",
                "~: ~\n",
                "routes: [{prefix: /a, backends: [http://a], strategy: ~}]\n",
                "routes: [{prefix: /a, backends: [http://a], strategy: {name: ~, key: ~}}]\n",
                "? [a]\n: 1\n",
                "routes: !!binary aGVsbG8=\n",
                "routes: *a\n",
                "<<: *a\n",
                "routes: &r [*r]\n");
        for (String document : documents) {
            assertThat(catchThrowableOfType(ConfigException.class, () -> YamlConfigLoader.load(document)))
                    .as(document).isNotNull();
        }
    }

    @Test
    void loadsTheForwardingSettings() {
        JunctionConfig config = YamlConfigLoader.load("""
                client:
                  maxConnectionsPerBackend: 64
                  idleTimeout: 90s
                limits:
                  maxRequestHeaderBytes: 16384
                routes:
                  - prefix: /api
                    timeouts: {connect: 500ms, response: 2m, idle: 30s, total: 1h}
                    preserveHost: true
                    forwarded: true
                    via: true
                    backends: [http://10.0.0.1:8080]
                """);

        assertThat(config.client()).isEqualTo(new ClientConfig(64, Duration.ofSeconds(90)));
        assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULT.withMaxRequestHeaderBytes(16384));
        RouteConfig route = config.routes().get(0);
        assertThat(route.timeouts()).isEqualTo(new TimeoutConfig(Duration.ofMillis(500), Duration.ofMinutes(2),
                Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(1)));
        assertThat(route.preserveHost()).isTrue();
        assertThat(route.forwarded()).isTrue();
        assertThat(route.via()).isTrue();
    }

    @Test
    void keepsTheDefaultsOfTimeoutsNotGiven() {
        RouteConfig route = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    timeouts: {response: 5s}
                    backends: [http://10.0.0.1:8080]
                """).routes().get(0);

        assertThat(route.timeouts()).isEqualTo(TimeoutConfig.DEFAULT.toBuilder().response(Duration.ofSeconds(5))
                .build());
        assertThat(route.preserveHost()).isFalse();
    }

    @Test
    void reportsBadDurationsAndUnknownKeysOfTheForwardingSettings() {
        assertThat(problemsOf("""
                client: {idleTimeout: forever, maxConnections: 3}
                limits: {maxHeaderBytes: 3}
                routes:
                  - prefix: /api
                    timeouts: {connect: 5, response: [1s], idle: "1,5s", totl: 1s}
                    via: yes
                    backends: [http://10.0.0.1:8080]
                """)).containsExactly(
                        problem("client.idleTimeout", "'forever' (expected: a duration such as 500ms, 5s or 2m)"),
                        problem("client.maxConnections",
                                "unknown key; known: maxConnectionsPerBackend, idleTimeout, transport, zone, dns"),
                        problem("limits.maxHeaderBytes",
                                "unknown key; known: maxRequestHeaderBytes, maxRequestTargetBytes, maxExchanges,"
                                        + " maxQueued"),
                        problem("routes[0].timeouts.connect", "'5' (expected: a duration such as 500ms, 5s or 2m)"),
                        problem("routes[0].timeouts.response",
                                "a list (expected: a duration such as 500ms, 5s or 2m)"),
                        problem("routes[0].timeouts.idle", "'1,5s' (expected: a duration such as 500ms, 5s or 2m)"),
                        problem("routes[0].timeouts.totl",
                                "unknown key; known: connect, response, idle, total, tunnelIdle"),
                        problem("routes[0].via", "'yes' (expected: true or false)"));
    }

    /** The problems of loading {@code yaml} as a gateway does: checked with the strategies and checks it names. */
    private static List<ConfigProblem> problemsOf(String yaml) {
        return problemsOf(() -> YamlConfigLoader.load(yaml, Junction.builder().configCheck()));
    }

    private static List<ConfigProblem> problemsOf(Runnable load) {
        ConfigException e = catchThrowableOfType(ConfigException.class, load::run);
        assertThat(e).as("a ConfigException").isNotNull();
        return e.problems();
    }

    private static ConfigProblem problem(String path, String message) {
        return new ConfigProblem(path, message);
    }

    @Test
    void readsBackendsFromDnsAndTheLookupsSettings() {
        JunctionConfig config = YamlConfigLoader.load("""
                client:
                  dns: {servers: ['10.0.0.2', '10.0.0.3:5353'], minTtl: 2s, maxTtl: 1m, timeout: 500ms}
                routes:
                  - prefix: /api
                    resolve: dns
                    backends:
                      - http://api.internal:8080
                      - http://10.0.0.9:8080
                      - {url: 'http://other.internal:8080', resolve: none}
                      - dns+srv://_http._tcp.api.internal
                """);

        assertThat(config.client().dns()).isEqualTo(new DnsConfig(List.of("10.0.0.2", "10.0.0.3:5353"),
                Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMillis(500)));
        assertThat(config.routes().get(0).backends()).extracting(BackendConfig::resolve).containsExactly(
                BackendConfig.Resolve.DNS, BackendConfig.Resolve.NONE, BackendConfig.Resolve.NONE,
                BackendConfig.Resolve.NONE);
        assertThat(config.routes().get(0).backends()).extracting(BackendConfig::discovered)
                .containsExactly(true, false, false, true);
    }

    @Test
    void readsAScalingSignal() {
        JunctionConfig config = YamlConfigLoader.load("""
                routes:
                  - prefix: /api
                    scaling: {utilisationHigh: 80, utilisationLow: 20, latencyHigh: 500ms, sustain: 1m,
                              capacityPerBackend: 64, webhook: 'https://autoscaler.internal/hook'}
                    backends: [http://10.0.0.1:8080]
                """);

        assertThat(config.routes().get(0).scaling()).isEqualTo(new ScalingConfig(true, 80, 20, 0,
                Duration.ofMillis(500), Duration.ofMinutes(1), 64, "https://autoscaler.internal/hook"));
    }
}
