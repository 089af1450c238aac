package dev.junction.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.junction.core.Junction;

class FlatConfigLoaderTest {

    private static final String KNOWN = "prefix, name, targets, weights, backups, maxConcurrent, maxTunnels, protocol,"
            + " strategy, strategy.<option>, stripPrefix, rewrite, whenAllDown, timeouts.connect, timeouts.response,"
            + " timeouts.idle, timeouts.total, timeouts.tunnelIdle, preserveHost, forwarded, via, trustedProxies,"
            + " upgrades, tls.caBundle, tls.certificate, tls.key, tls.keyStore, tls.keyPasswordFile,"
            + " tls.keyPasswordEnv,"
            + " tls.serverName, tls.insecureSkipVerify, healthCheck.path,"
            + " healthCheck.method,"
            + " healthCheck.port, healthCheck.check, healthCheck.class, healthCheck.interval, healthCheck.jitter,"
            + " healthCheck.timeout,"
            + " healthCheck.expectedStatuses,"
            + " healthCheck.expectedBody, healthCheck.header.<name>, healthCheck.healthyThreshold,"
            + " healthCheck.unhealthyThreshold,"
            + " healthCheck.startHealthy, outlierDetection.consecutive5xx, outlierDetection.consecutiveConnectFailures,"
            + " outlierDetection.baseEjectionTime, outlierDetection.maxEjectionTime,"
            + " outlierDetection.maxEjectionPercent, outlierDetection.latencyPercentOfMedian, panicThreshold,"
            + " slowStart.window, slowStart.minWeightPercent, queue.maxWaiting, queue.timeout, queue.classes,"
            + " queue.defaultClass, queue.classHeader, queue.aging, queue.classByPrefix.<prefix>,"
            + " queue.classByMethod.<method>, queue.classResolver, adaptiveConcurrency.algorithm,"
            + " adaptiveConcurrency.initialLimit, adaptiveConcurrency.minLimit, adaptiveConcurrency.maxLimit,"
            + " rateLimit.<name>.key, rateLimit.<name>.limit,"
            + " rateLimit.<name>.period,"
            + " rateLimit.<name>.burst, rateLimit.<name>.shared, sharedLimits.redis, sharedLimits.timeout,"
            + " sharedLimits.instances, sharedLimits.whenUnreachable, sharedLimits.keyPrefix,"
            + " circuitBreaker.failureStatuses,"
            + " circuitBreaker.consecutiveFailures, circuitBreaker.failureRatePercent, circuitBreaker.minimumCalls,"
            + " circuitBreaker.window, circuitBreaker.delay, circuitBreaker.halfOpenTrials,"
            + " circuitBreaker.successesToClose, circuitBreaker.maxOpenPercent, retries.maxAttempts,"
            + " retries.backoffBase, retries.backoffMax,"
            + " retries.retryOn, retries.retryStatuses, retries.bufferBytes, retries.budgetPercent,"
            + " retries.budgetMinPerSecond, retries.deadline, retries.attemptsHeader, fallback.status, fallback.body,"
            + " fallback.header.<name>, affinity.mode, affinity.cookie.name, affinity.cookie.path,"
            + " affinity.cookie.maxAge, affinity.cookie.httpOnly, affinity.cookie.secure, affinity.cookie.sameSite,"
            + " affinity.header, affinity.appCookie, affinity.trustedProxies, affinity.boundedLoadPercent,"
            + " affinity.ttl, affinity.maxSessions, affinity.secret, client.maxConnectionsPerBackend,"
            + " client.idleTimeout, client.transport, limits.maxRequestHeaderBytes, limits.maxRequestTargetBytes,"
            + " limits.maxExchanges, limits.maxQueued,"
            + " admin.enabled, admin.path, admin.token, admin.allowedHosts, admin.metrics, admin.readyRoutes,"
            + " accessLog.enabled, accessLog.format";

    @Test
    void readsEveryKey() {
        Map<String, String> values = new HashMap<>();
        values.put("prefix", "/api");
        values.put("name", "api");
        values.put("targets", "http://10.0.0.1:8080,http://10.0.0.2:8080");
        values.put("weights", "3,1");
        values.put("backups", "http://10.0.9.1:8080");
        values.put("maxConcurrent", "100");
        values.put("strategy", "consistent-hash");
        values.put("strategy.key", "header:X-User-Id");
        values.put("strategy.algorithm", "maglev");
        values.put("stripPrefix", "true");
        values.put("whenAllDown", "panic");

        assertThat(FlatConfigLoader.load(values)).isEqualTo(JunctionConfig.builder()
                .route(RouteConfig.builder()
                        .name("api")
                        .prefix("/api")
                        .stripPrefix(true)
                        .backend(BackendConfig.builder().url("http://10.0.0.1:8080").weight(3).maxConcurrent(100)
                                .build())
                        .backend(BackendConfig.builder().url("http://10.0.0.2:8080").weight(1).maxConcurrent(100)
                                .build())
                        .backend(BackendConfig.builder().url("http://10.0.9.1:8080").backup(true).maxConcurrent(100)
                                .build())
                        .strategy(StrategyConfig.of("consistent-hash",
                                Map.of("key", "header:X-User-Id", "algorithm", "maglev")))
                        .whenAllDown(WhenAllDown.PANIC)
                        .build())
                .build());
    }

    @Test
    void readsARewrite() {
        RouteConfig route = FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1",
                "rewrite", "/v2")).routes().get(0);

        assertThat(route.rewrite()).isEqualTo("/v2");
    }

    @Test
    void appliesTheDefaultsOfEveryOptionalKey() {
        RouteConfig route = FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://10.0.0.1"))
                .routes().get(0);

        assertThat(route).isEqualTo(RouteConfig.builder().prefix("/api").backend("http://10.0.0.1").build());
        assertThat(route.name()).isEqualTo("/api");
        assertThat(route.strategy()).isEqualTo(StrategyConfig.DEFAULT);
        assertThat(route.whenAllDown()).isEqualTo(WhenAllDown.FAIL);
    }

    @Test
    void trimsValuesAndEntriesSoAWebXmlValueMaySpanLines() {
        RouteConfig route = FlatConfigLoader.load(Map.of(
                "prefix", "  /api\n",
                "targets", "\n    http://10.0.0.1:8080,\n    http://10.0.0.2:8080\n  ",
                "weights", " 2 , 1 ",
                "stripPrefix", " TRUE ",
                "whenAllDown", "Panic")).routes().get(0);

        assertThat(route.prefix()).isEqualTo("/api");
        assertThat(route.backends()).extracting(BackendConfig::url, BackendConfig::weight).containsExactly(
                tuple("http://10.0.0.1:8080", 2),
                tuple("http://10.0.0.2:8080", 1));
        assertThat(route.stripPrefix()).isTrue();
        assertThat(route.whenAllDown()).isEqualTo(WhenAllDown.PANIC);
    }

    @Test
    void givesStrategyOptionsWithoutAStrategyToTheDefaultOneWhichRefusesThem() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://10.0.0.1", "strategy.key", "ip")))
                .containsExactly(problem("routes[0].strategy.key", "unknown option (strategy round-robin takes none)"));
    }

    @Test
    void readsPropertiesUnderAKeyPrefixAndIgnoresTheRest() {
        Properties props = new Properties();
        props.setProperty("junction.prefix", "/api");
        props.setProperty("junction.targets", "http://10.0.0.1,http://10.0.0.2");
        props.setProperty("junction.strategy", "least-connections");
        props.setProperty("java.version", "17");
        props.setProperty("prefix", "/ignored");

        assertThat(FlatConfigLoader.fromProperties(props, "junction.")).isEqualTo(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/api").backend("http://10.0.0.1").backend("http://10.0.0.2")
                        .strategy("least-connections").build())
                .build());
    }

    @Test
    void readsDefaultPropertiesToo() {
        Properties defaults = new Properties();
        defaults.setProperty("junction.targets", "http://10.0.0.1");
        Properties props = new Properties(defaults);
        props.setProperty("junction.prefix", "/api");

        assertThat(FlatConfigLoader.fromProperties(props, "junction.").routes().get(0).backends()).hasSize(1);
    }

    @Test
    void namesPropertiesInFullInProblems() {
        Properties props = new Properties();
        props.setProperty("junction.prefix", "/api");
        props.setProperty("junction.target", "http://10.0.0.1");
        props.setProperty("junction.weights", "2");

        assertThat(problemsOf(() -> FlatConfigLoader.fromProperties(props, "junction."))).containsExactly(
                problem("junction.targets", "required"),
                problem("junction.target", "unknown key; known: " + KNOWN.replace(", ", ", junction.")
                        .replaceFirst("^", "junction.")));
    }

    @Test
    void readsEveryPropertyWithAnEmptyKeyPrefix() {
        Properties props = new Properties();
        props.setProperty("prefix", "/api");
        props.setProperty("targets", "http://10.0.0.1");
        props.setProperty("java.version", "17");

        assertThat(problemsOf(() -> FlatConfigLoader.fromProperties(props, "")))
                .containsExactly(problem("java.version", "unknown key; known: " + KNOWN));
    }

    @Test
    void requiresAPrefix() {
        assertThat(problemsOf(Map.of("targets", "http://10.0.0.1"))).containsExactly(problem("prefix", "required"));
    }

    @Test
    void requiresTargetsEvenWithBackups() {
        assertThat(problemsOf(Map.of("prefix", "/api"))).containsExactly(problem("targets", "required"));
        assertThat(problemsOf(Map.of("prefix", "/api", "backups", "http://10.0.0.1")))
                .containsExactly(problem("targets", "required"));
    }

    @Test
    void reportsAnEmptyListRatherThanDefaultingIt() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", " ", "weights", "", "backups", "")))
                .containsExactly(
                        problem("targets", "empty (expected: comma-separated URLs)"),
                        problem("weights", "empty (expected: comma-separated integers)"),
                        problem("backups", "empty (expected: comma-separated URLs)"));
    }

    @Test
    void reportsEveryEmptyEntryOfAList() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://10.0.0.1,,http://10.0.0.2,",
                "weights", "1,,1,1", "backups", ",http://10.0.9.1"))).containsExactly(
                        problem("targets[1]", "empty entry in 'http://10.0.0.1,,http://10.0.0.2,' (expected: a URL)"),
                        problem("targets[3]", "empty entry in 'http://10.0.0.1,,http://10.0.0.2,' (expected: a URL)"),
                        problem("weights[1]", "empty entry in '1,,1,1' (expected: an integer)"),
                        problem("backups[0]", "empty entry in ',http://10.0.9.1' (expected: a URL)"));
    }

    @Test
    void keepsModelIndicesPastAnEmptyEntry() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://10.0.0.1,,http://10.0.0.2",
                "weights", "1,1,0"))).containsExactly(
                        problem("targets[1]", "empty entry in 'http://10.0.0.1,,http://10.0.0.2' (expected: a URL)"),
                        problem("routes[0].backends[2].weight", "must be > 0 (was 0)"));
    }

    @Test
    void requiresOneWeightPerTarget() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a,http://b,http://c", "weights", "2,1")))
                .containsExactly(problem("weights", "2 values for 3 targets"));
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a", "weights", "2,1")))
                .containsExactly(problem("weights", "2 values for 1 target"));
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a,http://b", "weights", "2")))
                .containsExactly(problem("weights", "1 value for 2 targets"));
    }

    @Test
    void reportsAWeightThatIsNotAnInteger() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a,http://b", "weights", "3,x")))
                .containsExactly(problem("weights[1]", "'x' (expected: an integer)"));
    }

    @Test
    void reportsAMaxConcurrentThatIsNotAnInteger() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a", "maxConcurrent", "many")))
                .containsExactly(problem("maxConcurrent", "'many' (expected: an integer)"));
    }

    @Test
    void appliesMaxConcurrentToBackupsToo() {
        List<BackendConfig> backends = FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://a",
                "backups", "http://b", "maxConcurrent", "8")).routes().get(0).backends();

        assertThat(backends).extracting(BackendConfig::maxConcurrent).containsExactly(8, 8);
    }

    @Test
    void reportsABooleanThatIsNotTrueOrFalse() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a", "stripPrefix", "yes")))
                .containsExactly(problem("stripPrefix", "'yes' (expected: true or false)"));
    }

    @Test
    void reportsAnUnknownWhenAllDown() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a", "whenAllDown", "retry")))
                .containsExactly(problem("whenAllDown", "'retry' (expected: fail or panic)"));
    }

    @Test
    void reportsUnknownKeysWithTheKnownOnes() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a", "target", "http://b", "strategy.", "x")))
                .containsExactly(
                        problem("strategy.", "unknown key; known: " + KNOWN),
                        problem("target", "unknown key; known: " + KNOWN));
    }

    @Test
    void reportsAKeyWithoutAValueAndANullKey() {
        Map<String, String> values = new HashMap<>();
        values.put("prefix", null);
        values.put("targets", "http://a");
        values.put(null, "x");

        assertThat(problemsOf(values)).containsExactly(
                problem("prefix", "no value"),
                problem("''", "unknown key; known: " + KNOWN));
    }

    @Test
    void reportsAStrategyWithoutAValueOnceRatherThanItsOptionsAgainstTheDefault() {
        Map<String, String> values = new HashMap<>();
        values.put("prefix", "/api");
        values.put("targets", "http://a");
        values.put("strategy", null);
        values.put("strategy.key", "ip");

        assertThat(problemsOf(values)).containsExactly(problem("strategy", "no value"));
    }

    @Test
    void leavesRulesOfTheModelToTheValidatorWithModelPaths() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("prefix", "api");
        values.put("targets", "http://10.0.0.1,ftp://10.0.0.2");
        values.put("weights", "0,1");
        values.put("backups", "http://10.0.0.1");
        values.put("maxConcurrent", "-1");
        values.put("strategy", "consistent-hash");
        values.put("strategy.key", "hedder:X");
        values.put("stripPrefix", "true");
        values.put("rewrite", "/v2");

        assertThat(problemsOf(values)).containsExactly(
                problem("routes[0].prefix", "'api' (expected: a path starting with '/')"),
                problem("routes[0].rewrite",
                        "cannot be combined with stripPrefix (rewrite already replaces the prefix)"),
                problem("routes[0].backends[0].weight", "must be > 0 (was 0)"),
                problem("routes[0].backends[0].maxConcurrent", "must be >= 0, 0 for no limit (was -1)"),
                problem("routes[0].backends[1].url", "'ftp://10.0.0.2' (expected: an http:// or https:// URL)"),
                problem("routes[0].backends[1].maxConcurrent", "must be >= 0, 0 for no limit (was -1)"),
                problem("routes[0].backends[2].maxConcurrent", "must be >= 0, 0 for no limit (was -1)"),
                problem("routes[0].backends[2].id", "duplicate id '10.0.0.1' (also backends[0]); give each backend"
                        + " of a route its own id"),
                problem("routes[0].strategy.key", "'hedder:X' (expected: ip, path, header:NAME or cookie:NAME)"));
    }

    @Test
    void reportsLoaderProblemsBeforeModelProblemsInTheSameException() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> FlatConfigLoader.load(Map.of(
                "prefix", "/api", "targets", "http://a", "weights", "0", "whenAllDown", "never")));

        assertThat(e.problems()).containsExactly(
                problem("whenAllDown", "'never' (expected: fail or panic)"),
                problem("routes[0].backends[0].weight", "must be > 0 (was 0)"));
    }

    @Test
    void reportsProblemsInTheSameOrderWhateverTheMapOrder() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("zeta", "1");
        forward.put("alpha", "1");
        forward.put("prefix", "/api");
        forward.put("targets", "http://a");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("targets", "http://a");
        backward.put("prefix", "/api");
        backward.put("alpha", "1");
        backward.put("zeta", "1");

        assertThat(problemsOf(forward)).isEqualTo(problemsOf(backward))
                .extracting(ConfigProblem::path).containsExactly("alpha", "zeta");
    }

    @Test
    void readsTheForwardingSettings() {
        JunctionConfig config = FlatConfigLoader.load(Map.of("prefix", "/api", "targets", "http://a",
                "timeouts.connect", "250ms", "timeouts.total", "10m", "preserveHost", "true", "forwarded", "true",
                "via", "false", "client.maxConnectionsPerBackend", "8", "client.idleTimeout", "5s",
                "limits.maxRequestHeaderBytes", "4096"));

        RouteConfig route = config.routes().get(0);
        assertThat(route.timeouts()).isEqualTo(TimeoutConfig.DEFAULT.toBuilder().connect(Duration.ofMillis(250))
                .total(Duration.ofMinutes(10)).build());
        assertThat(route.preserveHost()).isTrue();
        assertThat(route.forwarded()).isTrue();
        assertThat(route.via()).isFalse();
        assertThat(config.client()).isEqualTo(new ClientConfig(8, Duration.ofSeconds(5)));
        assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULT.withMaxRequestHeaderBytes(4096));
    }

    @Test
    void reportsBadForwardingSettingsWithTheirKeys() {
        assertThat(problemsOf(Map.of("prefix", "/api", "targets", "http://a", "timeouts.idle", "1 minute",
                "forwarded", "on", "client.maxConnectionsPerBackend", "0", "limits.maxRequestHeaderBytes", "10")))
                .containsExactlyInAnyOrder(
                        problem("timeouts.idle", "'1 minute' (expected: a duration such as 500ms, 5s or 2m)"),
                        problem("forwarded", "'on' (expected: true or false)"),
                        problem("client.maxConnectionsPerBackend", "must be > 0 (was 0)"),
                        problem("limits.maxRequestHeaderBytes", "must be from 1024 to 1048576 (was 10)"));
    }

    private static List<ConfigProblem> problemsOf(Map<String, String> values) {
        return problemsOf(() -> FlatConfigLoader.load(values, Junction.builder().configCheck()));
    }

    private static List<ConfigProblem> problemsOf(Runnable load) {
        ConfigException e = catchThrowableOfType(ConfigException.class, load::run);
        assertThat(e).as("a ConfigException").isNotNull();
        return e.problems();
    }

    private static ConfigProblem problem(String path, String message) {
        return new ConfigProblem(path, message);
    }
}
