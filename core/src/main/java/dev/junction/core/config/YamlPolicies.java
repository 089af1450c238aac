package dev.junction.core.config;

import static dev.junction.core.config.ConfigReader.apply;
import static dev.junction.core.config.YamlValues.orElse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.YamlTree.Mapping;
import dev.junction.core.config.YamlTree.Node;
import dev.junction.core.config.YamlTree.Scalar;
import dev.junction.core.config.YamlTree.Sequence;

/**
 * The readers of a route's policies in YAML, for {@link YamlConfigLoader}: timeouts, health checks, the circuit
 * breaker, retries, affinity and its cookie, the fallback answer, slow start and outlier detection. Each returns the
 * policy built from its mapping, or null after recording why the node is not one; unknown keys and values of the wrong
 * type are recorded in the loader's {@link ConfigReader}.
 *
 * <p>Not thread-safe: one instance per load, as its {@link YamlValues}.
 */
final class YamlPolicies {

    private static final List<String> TIMEOUT_KEYS = List.of("connect", "response", "idle", "total", "tunnelIdle");
    private static final List<String> OUTLIER_KEYS = List.of("consecutive5xx", "consecutiveConnectFailures",
            "baseEjectionTime", "maxEjectionTime", "maxEjectionPercent", "latencyPercentOfMedian");
    private static final List<String> BREAKER_KEYS = List.of("failureStatuses", "consecutiveFailures",
            "failureRatePercent", "minimumCalls", "window", "delay", "halfOpenTrials", "successesToClose",
            "maxOpenPercent");
    private static final List<String> RETRY_KEYS = List.of("maxAttempts", "backoffBase", "backoffMax", "retryOn",
            "retryStatuses", "bufferBytes", "budgetPercent", "budgetMinPerSecond", "deadline", "attemptsHeader");
    private static final List<String> AFFINITY_KEYS = List.of("mode", "cookie", "header", "appCookie",
            "trustedProxies", "boundedLoadPercent", "ttl", "maxSessions", "secret");
    private static final List<String> AFFINITY_COOKIE_KEYS = List.of("name", "path", "maxAge", "httpOnly", "secure",
            "sameSite");
    private static final List<String> FALLBACK_KEYS = List.of("status", "body", "headers");
    private static final List<String> SLOW_START_KEYS = List.of("window", "minWeightPercent");
    private static final List<String> ADAPTIVE_KEYS = List.of("algorithm", "initialLimit", "minLimit", "maxLimit");
    private static final List<String> ZONE_AWARE_KEYS = List.of("minHealthyPercent", "loadMarginPercent");
    private static final List<String> SCALING_KEYS = List.of("utilisationHigh", "utilisationLow", "queueHigh",
            "latencyHigh", "sustain", "capacityPerBackend", "webhook");
    private static final List<String> RELEASE_KEYS = List.of("baseline", "shares", "key", "forceHeader",
            "forceCookie", "sessions", "rollout", "rollback");
    private static final List<String> ROLLOUT_KEYS = List.of("group", "steps", "interval", "start");
    private static final List<String> ROLLBACK_KEYS = List.of("errorRateMargin", "latencyMargin", "minRequests",
            "window");
    private static final List<String> HEADER_RULES_KEYS = List.of("set", "add", "remove");
    private static final List<String> MATCH_KEYS = List.of("hosts", "methods", "headers", "query", "clients");
    private static final List<String> FIELD_MATCH_KEYS = List.of("name", "exact", "regex", "present");
    private static final List<String> RATE_LIMIT_KEYS = List.of("name", "key", "limit", "period", "burst", "shared");
    private static final List<String> QUEUE_KEYS = List.of("maxWaiting", "timeout", "classes", "defaultClass",
            "classHeader", "aging", "classByPrefix", "classByMethod", "classResolver");
    private static final List<String> TLS_KEYS = List.of("caBundle", "certificate", "key", "keyStore",
            "keyPasswordFile", "keyPasswordEnv", "serverName", "insecureSkipVerify");
    private static final List<String> HEALTH_CHECK_KEYS = List.of("path", "method", "port", "interval", "jitter",
            "timeout", "expectedStatuses", "expectedBody", "headers", "healthyThreshold", "unhealthyThreshold",
            "startHealthy", "check", "class", "options");
    private static final String AFFINITY_MODES = "cookie, header, ip or app-cookie";

    private final YamlValues yaml;
    private final ConfigReader reader;

    YamlPolicies(YamlValues yaml) {
        this.yaml = yaml;
        this.reader = yaml.reader();
    }

    @Nullable TimeoutConfig timeouts(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with connect, response, idle and total", TIMEOUT_KEYS);
        if (mapping == null) {
            return null;
        }
        TimeoutConfig.Builder timeouts = TimeoutConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Duration value = yaml.duration(entry.getValue(), keyPath);
            switch (entry.getKey()) {
                case "connect" -> apply(value, timeouts::connect);
                case "response" -> apply(value, timeouts::response);
                case "idle" -> apply(value, timeouts::idle);
                case "tunnelIdle" -> apply(value, timeouts::tunnelIdle);
                case "total" -> apply(value, timeouts::total);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(TIMEOUT_KEYS));
            }
        }
        return timeouts.build();
    }

    /**
     * Reads a health check: a route's, from the defaults, or a backend's, from its route's check ({@code base}), so
     * a backend's mapping names only what differs; {@code false} for a backend means no checks for it.
     */
    @Nullable HealthCheckConfig healthCheck(Node node, String path, HealthCheckConfig base, boolean backend) {
        if (backend && node instanceof Scalar scalar && "false".equals(scalar.text())) {
            return HealthCheckConfig.NONE;
        }
        Mapping mapping = yaml.mapping(node, path,
                backend ? "a mapping of what differs from the route's check, or false"
                        : "a mapping with path, interval, timeout, ...", HEALTH_CHECK_KEYS);
        if (mapping == null) {
            return null;
        }
        HealthCheckConfig.Builder check = base.toBuilder();
        String named = null;
        String className = null;
        Map<String, String> options = Map.of();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "path" -> apply(yaml.text(value, keyPath, "a path such as /health"), check::path);
                case "method" -> apply(yaml.text(value, keyPath, "a method such as GET"), check::method);
                case "port" -> apply(yaml.integer(value, keyPath), check::port);
                case "interval" -> apply(yaml.duration(value, keyPath), check::interval);
                case "jitter" -> apply(yaml.duration(value, keyPath), check::jitter);
                case "timeout" -> apply(yaml.duration(value, keyPath), check::timeout);
                case "expectedStatuses" -> apply(yaml.text(value, keyPath, "statuses such as 200-399"),
                        check::expectedStatuses);
                case "expectedBody" -> apply(yaml.text(value, keyPath, "text, or regex: and an expression"),
                        check::expectedBody);
                case "startHealthy" -> apply(yaml.bool(value, keyPath), check::startHealthy);
                case "headers" -> {
                    Map<String, String> headers = yaml.strings(value, keyPath, "header value");
                    if (headers != null) {
                        headers.forEach(check::header);
                    }
                }
                case "healthyThreshold" -> apply(yaml.integer(value, keyPath), check::healthyThreshold);
                case "unhealthyThreshold" -> apply(yaml.integer(value, keyPath), check::unhealthyThreshold);
                case "check" -> named = yaml.text(value, keyPath, "the name of a check, such as tcp");
                case "class" -> className = yaml.text(value, keyPath,
                        "the class name of a dev.junction.core.spi.HealthCheck");
                case "options" -> {
                    Map<String, String> read = yaml.strings(value, keyPath, "option value");
                    options = read != null ? read : Map.of();
                }
                default -> reader.problem(keyPath, ConfigReader.unknownKey(HEALTH_CHECK_KEYS));
            }
        }
        if (named != null && className != null) {
            reader.problem(YamlTree.child(path, "class"), "a check is named by check or by class, not both");
        } else if (className != null) {
            check.check(className, options);
        } else if (named != null) {
            check.check(named, options);
        } else if (!options.isEmpty()) {
            reader.problem(YamlTree.child(path, "options"),
                    "options are for a check of one's own (expected: check or class)");
        }
        if (base.path() == null && base.check() == null && className == null && named == null
                && !mapping.entries().containsKey("path")) {
            reader.required(YamlTree.child(path, "path"));
        }
        return check.build();
    }

    @Nullable BreakerConfig breaker(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with consecutiveFailures, delay, ...", BREAKER_KEYS);
        if (mapping == null) {
            return null;
        }
        BreakerConfig.Builder breaker = BreakerConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "failureStatuses" -> apply(yaml.text(value, keyPath, "statuses such as 502-504"),
                        breaker::failureStatuses);
                case "consecutiveFailures" -> apply(yaml.integer(value, keyPath), breaker::consecutiveFailures);
                case "failureRatePercent" -> apply(yaml.integer(value, keyPath), breaker::failureRatePercent);
                case "minimumCalls" -> apply(yaml.integer(value, keyPath), breaker::minimumCalls);
                case "window" -> apply(yaml.duration(value, keyPath), breaker::window);
                case "delay" -> apply(yaml.duration(value, keyPath), breaker::delay);
                case "halfOpenTrials" -> apply(yaml.integer(value, keyPath), breaker::halfOpenTrials);
                case "successesToClose" -> apply(yaml.integer(value, keyPath), breaker::successesToClose);
                case "maxOpenPercent" -> apply(yaml.integer(value, keyPath), breaker::maxOpenPercent);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(BREAKER_KEYS));
            }
        }
        return breaker.build();
    }

    @Nullable RetryConfig retries(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with maxAttempts, retryOn, ...", RETRY_KEYS);
        if (mapping == null) {
            return null;
        }
        RetryConfig.Builder retries = RetryConfig.builder();
        Duration base = RetryConfig.NONE.backoffBase();
        Duration max = RetryConfig.NONE.backoffMax();
        int percent = RetryConfig.NONE.budgetPercent();
        int perSecond = RetryConfig.NONE.budgetMinPerSecond();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "maxAttempts" -> apply(yaml.integer(value, keyPath), retries::maxAttempts);
                case "backoffBase" -> base = orElse(yaml.duration(value, keyPath), base);
                case "backoffMax" -> max = orElse(yaml.duration(value, keyPath), max);
                case "retryOn" -> {
                    List<String> names = yaml.texts(value, keyPath, ConfigReader.RETRY_ON);
                    if (names != null) {
                        retries.retryOn(reader.retryOn(keyPath, names));
                    }
                }
                case "retryStatuses" -> apply(yaml.text(value, keyPath, "statuses such as 503"),
                        retries::retryStatuses);
                case "bufferBytes" -> apply(yaml.integer(value, keyPath), retries::bufferBytes);
                case "budgetPercent" -> percent = orElse(yaml.integer(value, keyPath), percent);
                case "budgetMinPerSecond" -> perSecond = orElse(yaml.integer(value, keyPath), perSecond);
                case "deadline" -> apply(yaml.duration(value, keyPath), retries::deadline);
                case "attemptsHeader" -> apply(yaml.bool(value, keyPath), retries::attemptsHeader);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(RETRY_KEYS));
            }
        }
        return retries.backoff(base, max).budget(percent, perSecond).build();
    }

    @Nullable AffinityConfig affinity(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with mode and its settings", AFFINITY_KEYS);
        if (mapping == null) {
            return null;
        }
        Node modeNode = mapping.entries().get("mode");
        String modePath = YamlTree.child(path, "mode");
        AffinityConfig.Mode mode = null;
        if (modeNode == null) {
            reader.required(modePath);
        } else {
            String text = yaml.text(modeNode, modePath, AFFINITY_MODES);
            if (text != null) {
                mode = AffinityConfig.Mode.fromConfigName(text);
                if (mode == null) {
                    reader.problem(modePath, ConfigReader.quote(text) + " (expected: " + AFFINITY_MODES + ")");
                }
            }
        }
        AffinityConfig.Builder affinity = AffinityConfig.builder(mode != null ? mode : AffinityConfig.Mode.COOKIE);
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "mode" -> {
                    // Read above.
                }
                case "cookie" -> affinityCookie(value, keyPath, affinity);
                case "header" -> apply(yaml.text(value, keyPath, "a header name"), affinity::header);
                case "appCookie" -> apply(yaml.text(value, keyPath, "a cookie name"), affinity::appCookie);
                case "trustedProxies" -> apply(yaml.texts(value, keyPath, "addresses or CIDR ranges"),
                        affinity::trustedProxies);
                case "boundedLoadPercent" -> apply(yaml.integer(value, keyPath), affinity::boundedLoadPercent);
                case "ttl" -> apply(yaml.duration(value, keyPath), affinity::ttl);
                case "maxSessions" -> apply(yaml.integer(value, keyPath), affinity::maxSessions);
                case "secret" -> apply(yaml.text(value, keyPath, "a secret text"), affinity::secret);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(AFFINITY_KEYS));
            }
        }
        return affinity.build();
    }

    private void affinityCookie(Node node, String path, AffinityConfig.Builder affinity) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with name, path, maxAge, ...", AFFINITY_COOKIE_KEYS);
        if (mapping == null) {
            return;
        }
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "name" -> apply(yaml.text(value, keyPath, "a cookie name"), affinity::cookieName);
                case "path" -> apply(yaml.text(value, keyPath, "a path such as /"), affinity::cookiePath);
                case "maxAge" -> apply(yaml.duration(value, keyPath), affinity::cookieMaxAge);
                case "httpOnly" -> apply(yaml.bool(value, keyPath), affinity::cookieHttpOnly);
                case "secure" -> apply(yaml.bool(value, keyPath), affinity::cookieSecure);
                case "sameSite" -> apply(yaml.text(value, keyPath, "Strict, Lax or None"), affinity::cookieSameSite);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(AFFINITY_COOKIE_KEYS));
            }
        }
    }

    @Nullable FallbackConfig fallback(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with status, body and headers", FALLBACK_KEYS);
        if (mapping == null) {
            return null;
        }
        int status = FallbackConfig.DEFAULT.status();
        String body = null;
        Map<String, String> headers = Map.of();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "status" -> status = orElse(yaml.integer(value, keyPath), status);
                case "body" -> body = yaml.text(value, keyPath, "the text of the answer");
                case "headers" -> headers = orElse(yaml.strings(value, keyPath, "header value"), headers);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(FALLBACK_KEYS));
            }
        }
        return new FallbackConfig(status, body, headers);
    }

    @Nullable TlsConfig tls(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with caBundle, certificate, key, ...", TLS_KEYS);
        if (mapping == null) {
            return null;
        }
        TlsConfig.Builder tls = TlsConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "caBundle" -> apply(yaml.text(value, keyPath, "a PEM file"), tls::caBundle);
                case "certificate" -> apply(yaml.text(value, keyPath, "a PEM file"), tls::certificate);
                case "key" -> apply(yaml.text(value, keyPath, "a PEM file"), tls::key);
                case "keyStore" -> apply(yaml.text(value, keyPath, "a PKCS#12 file"), tls::keyStore);
                case "keyPasswordFile" -> apply(yaml.text(value, keyPath, "a file"), tls::keyPasswordFile);
                case "keyPasswordEnv" -> apply(yaml.text(value, keyPath, "a variable name"), tls::keyPasswordEnv);
                case "serverName" -> apply(yaml.text(value, keyPath, "a host name"), tls::serverName);
                case "insecureSkipVerify" -> apply(yaml.bool(value, keyPath), tls::insecureSkipVerify);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(TLS_KEYS));
            }
        }
        return tls.build();
    }

    @Nullable QueueConfig queue(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with maxWaiting and timeout", QUEUE_KEYS);
        if (mapping == null) {
            return null;
        }
        QueueConfig none = QueueConfig.NONE;
        int maxWaiting = none.maxWaiting();
        Duration timeout = none.timeout();
        List<String> classes = null;
        String defaultClass = null;
        String classHeader = null;
        Duration aging = none.aging();
        Map<String, String> byPrefix = Map.of();
        Map<String, String> byMethod = Map.of();
        String classResolver = null;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "maxWaiting" -> maxWaiting = orElse(yaml.integer(value, keyPath), maxWaiting);
                case "timeout" -> timeout = orElse(yaml.duration(value, keyPath), timeout);
                case "classes" -> classes = yaml.texts(value, keyPath, "class names, highest first");
                case "defaultClass" -> defaultClass = yaml.text(value, keyPath, "a class name");
                case "classHeader" -> classHeader = yaml.text(value, keyPath, "a header name");
                case "aging" -> aging = orElse(yaml.duration(value, keyPath), aging);
                case "classByPrefix" -> byPrefix = orElse(yaml.strings(value, keyPath, "class name"), byPrefix);
                case "classByMethod" -> byMethod = orElse(yaml.strings(value, keyPath, "class name"), byMethod);
                case "classResolver" -> classResolver = yaml.text(value, keyPath, "a registered resolver's name");
                default -> reader.problem(keyPath, ConfigReader.unknownKey(QUEUE_KEYS));
            }
        }
        if (!mapping.entries().containsKey("maxWaiting")) {
            reader.required(YamlTree.child(path, "maxWaiting"));
        }
        return QueueConfig.of(maxWaiting, timeout).withClasses(classes != null ? classes : none.classes(),
                QueueConfig.defaultClassOf(classes, defaultClass), classHeader, aging).withClassRules(byPrefix,
                byMethod).withClassResolver(classResolver);
    }

    /** Returns the route's rate limits, each read in full (its problems with their paths), or null if unreadable. */
    @Nullable List<RateLimitConfig> rateLimits(Node node, String path) {
        Sequence sequence = yaml.sequence(node, path, "a list of limits with key, limit and period");
        if (sequence == null) {
            return null;
        }
        List<RateLimitConfig> limits = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            RateLimitConfig limit = rateLimit(sequence.items().get(i), path + "[" + i + "]");
            if (limit != null) {
                limits.add(limit);
            }
        }
        return limits;
    }

    private @Nullable RateLimitConfig rateLimit(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with key, limit and period", RATE_LIMIT_KEYS);
        if (mapping == null) {
            return null;
        }
        String name = null;
        String key = RateLimitConfig.ROUTE_KEY;
        Integer limit = null;
        Duration period = null;
        Integer burst = null;
        boolean shared = false;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "name" -> name = yaml.text(value, keyPath, "a name");
                case "key" -> key = orElse(yaml.text(value, keyPath, "route, client, header:<name>, ..."), key);
                case "limit" -> limit = yaml.integer(value, keyPath);
                case "period" -> period = yaml.duration(value, keyPath);
                case "burst" -> burst = yaml.integer(value, keyPath);
                case "shared" -> shared = orElse(yaml.bool(value, keyPath), shared);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(RATE_LIMIT_KEYS));
            }
        }
        for (String required : List.of("key", "limit", "period")) {
            if (!mapping.entries().containsKey(required)) {
                reader.required(YamlTree.child(path, required));
            }
        }
        long tokens = limit != null ? limit : 1;
        Duration every = period != null ? period : Duration.ofSeconds(1);
        return new RateLimitConfig(name != null ? name : RateLimitConfig.defaultName(key, tokens, period), key,
                tokens, every, burst != null ? burst : tokens, shared);
    }

    /** Reads {@code scaling}: a mapping of its thresholds, which turns it on. */
    @Nullable ScalingConfig scaling(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with utilisationHigh, utilisationLow, queueHigh,"
                + " latencyHigh, sustain, capacityPerBackend and webhook", SCALING_KEYS);
        if (mapping == null) {
            return null;
        }
        int high = 0;
        int low = 0;
        int queue = 0;
        Duration latency = Duration.ZERO;
        Duration sustain = ScalingConfig.DEFAULT_SUSTAIN;
        int capacity = 0;
        String webhook = null;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "utilisationHigh" -> high = orElse(yaml.integer(value, keyPath), high);
                case "utilisationLow" -> low = orElse(yaml.integer(value, keyPath), low);
                case "queueHigh" -> queue = orElse(yaml.integer(value, keyPath), queue);
                case "latencyHigh" -> latency = orElse(yaml.duration(value, keyPath), latency);
                case "sustain" -> sustain = orElse(yaml.duration(value, keyPath), sustain);
                case "capacityPerBackend" -> capacity = orElse(yaml.integer(value, keyPath), capacity);
                case "webhook" -> webhook = yaml.text(value, keyPath, "an http:// or https:// URL");
                default -> reader.problem(keyPath, ConfigReader.unknownKey(SCALING_KEYS));
            }
        }
        return new ScalingConfig(true, high, low, queue, latency, sustain, capacity, webhook);
    }

    /** Reads {@code zoneAware}: {@code true}, {@code false}, or a mapping of its thresholds (which turns it on). */
    @Nullable ZoneAwareConfig zoneAware(Node node, String path) {
        if (node instanceof Scalar) {
            Boolean on = yaml.bool(node, path);
            return on == null ? null : on ? ZoneAwareConfig.DEFAULT : ZoneAwareConfig.NONE;
        }
        Mapping mapping = yaml.mapping(node, path, "true, false, or a mapping with minHealthyPercent and"
                + " loadMarginPercent", ZONE_AWARE_KEYS);
        if (mapping == null) {
            return null;
        }
        ZoneAwareConfig defaults = ZoneAwareConfig.DEFAULT;
        int minHealthy = defaults.minHealthyPercent();
        int loadMargin = defaults.loadMarginPercent();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            switch (entry.getKey()) {
                case "minHealthyPercent" -> minHealthy = orElse(yaml.integer(entry.getValue(), keyPath), minHealthy);
                case "loadMarginPercent" -> loadMargin = orElse(yaml.integer(entry.getValue(), keyPath), loadMargin);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ZONE_AWARE_KEYS));
            }
        }
        return new ZoneAwareConfig(true, minHealthy, loadMargin);
    }

    @Nullable ReleaseConfig release(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with shares, key, rollout, ...", RELEASE_KEYS);
        if (mapping == null) {
            return null;
        }
        ReleaseConfig defaults = ReleaseConfig.DEFAULT;
        String baseline = null;
        Map<String, Integer> shares = new LinkedHashMap<>();
        String key = defaults.key();
        String forceHeader = null;
        String forceCookie = null;
        ReleaseConfig.Rollout rollout = defaults.rollout();
        ReleaseConfig.Rollback rollback = defaults.rollback();
        ReleaseConfig.Sessions sessions = defaults.sessions();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "baseline" -> baseline = yaml.text(value, keyPath, "a group name");
                case "shares" -> {
                    Mapping percents = yaml.mapping(value, keyPath, "a mapping of group names to percent");
                    if (percents != null) {
                        percents.entries().forEach((group, share) -> {
                            Integer read = yaml.integer(share, YamlTree.child(keyPath, group));
                            if (read != null) {
                                shares.put(group, read);
                            }
                        });
                    }
                }
                case "key" -> key = orElse(yaml.text(value, keyPath, "client, header:<name> or cookie:<name>"), key);
                case "forceHeader" -> forceHeader = yaml.text(value, keyPath, "a header name");
                case "forceCookie" -> forceCookie = yaml.text(value, keyPath, "a cookie name");
                case "sessions" -> {
                    String text = yaml.text(value, keyPath, "stay or follow");
                    ReleaseConfig.Sessions read = text == null ? null : switch (text) {
                        case "stay" -> ReleaseConfig.Sessions.STAY;
                        case "follow" -> ReleaseConfig.Sessions.FOLLOW;
                        default -> {
                            reader.problem(keyPath, "'" + text + "' (expected: stay or follow)");
                            yield null;
                        }
                    };
                    sessions = orElse(read, sessions);
                }
                case "rollout" -> rollout = orElse(rollout(value, keyPath), rollout);
                case "rollback" -> rollback = orElse(rollback(value, keyPath), rollback);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(RELEASE_KEYS));
            }
        }
        return new ReleaseConfig(baseline, shares, key, forceHeader, forceCookie, rollout, rollback, sessions);
    }

    private ReleaseConfig.@Nullable Rollout rollout(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with steps and interval", ROLLOUT_KEYS);
        if (mapping == null) {
            return null;
        }
        ReleaseConfig.Rollout none = ReleaseConfig.Rollout.NONE;
        String group = null;
        List<Integer> steps = new ArrayList<>();
        Duration interval = none.interval();
        boolean start = false;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "group" -> group = yaml.text(value, keyPath, "a group name");
                case "steps" -> {
                    List<String> texts = yaml.texts(value, keyPath, "percentages such as 5, 25, 50, 100");
                    for (int i = 0; texts != null && i < texts.size(); i++) {
                        Integer step = reader.integer(keyPath + "[" + i + "]", texts.get(i).trim());
                        if (step != null) {
                            steps.add(step);
                        }
                    }
                }
                case "interval" -> interval = orElse(yaml.duration(value, keyPath), interval);
                case "start" -> start = orElse(yaml.bool(value, keyPath), start);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ROLLOUT_KEYS));
            }
        }
        return new ReleaseConfig.Rollout(group, steps, interval, start);
    }

    private ReleaseConfig.@Nullable Rollback rollback(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with errorRateMargin, latencyMargin, ...", ROLLBACK_KEYS);
        if (mapping == null) {
            return null;
        }
        ReleaseConfig.Rollback none = ReleaseConfig.Rollback.NONE;
        int errorRateMargin = 0;
        int latencyMargin = 0;
        int minRequests = none.minRequests();
        Duration window = none.window();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "errorRateMargin" -> errorRateMargin = orElse(yaml.integer(value, keyPath), errorRateMargin);
                case "latencyMargin" -> latencyMargin = orElse(yaml.integer(value, keyPath), latencyMargin);
                case "minRequests" -> minRequests = orElse(yaml.integer(value, keyPath), minRequests);
                case "window" -> window = orElse(yaml.duration(value, keyPath), window);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ROLLBACK_KEYS));
            }
        }
        return new ReleaseConfig.Rollback(errorRateMargin, latencyMargin, minRequests, window);
    }

    @Nullable HeaderRulesConfig headerRules(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with set, add or remove", HEADER_RULES_KEYS);
        if (mapping == null) {
            return null;
        }
        Map<String, String> set = Map.of();
        Map<String, String> add = Map.of();
        List<String> remove = List.of();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "set" -> set = orElse(yaml.strings(value, keyPath, "header value"), set);
                case "add" -> add = orElse(yaml.strings(value, keyPath, "header value"), add);
                case "remove" -> remove = orElse(yaml.texts(value, keyPath, "header names"), remove);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(HEADER_RULES_KEYS));
            }
        }
        return new HeaderRulesConfig(set, add, remove);
    }

    @Nullable MatchConfig match(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with hosts, methods, headers, query or clients",
                MATCH_KEYS);
        if (mapping == null) {
            return null;
        }
        MatchConfig.Builder match = MatchConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "hosts" -> apply(yaml.texts(value, keyPath, "host names such as api.example.com"), match::hosts);
                case "methods" -> apply(yaml.texts(value, keyPath, "methods such as GET"), match::methods);
                case "headers" -> apply(fieldMatches(value, keyPath), match::headers);
                case "query" -> apply(fieldMatches(value, keyPath), match::queries);
                case "clients" -> apply(yaml.texts(value, keyPath, "addresses or CIDR ranges"), match::clients);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(MATCH_KEYS));
            }
        }
        return match.build();
    }

    private @Nullable List<FieldMatch> fieldMatches(Node node, String path) {
        Sequence sequence = yaml.sequence(node, path, "a list of conditions with name and exact, regex or present");
        if (sequence == null) {
            return null;
        }
        List<FieldMatch> fields = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            FieldMatch field = fieldMatch(sequence.items().get(i), path + "[" + i + "]");
            if (field != null) {
                fields.add(field);
            }
        }
        return fields;
    }

    /** Reads one condition: {@code name} and at most one of {@code exact}, {@code regex}, {@code present}. */
    private @Nullable FieldMatch fieldMatch(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with name and exact, regex or present", FIELD_MATCH_KEYS);
        if (mapping == null) {
            return null;
        }
        String name = null;
        FieldMatch field = null;
        int kinds = 0;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "name" -> name = yaml.text(value, keyPath, "a header or parameter name");
                case "exact" -> {
                    kinds++;
                    String text = yaml.text(value, keyPath, "a value");
                    field = text == null ? null : FieldMatch.exact("", text);
                }
                case "regex" -> {
                    kinds++;
                    String text = yaml.text(value, keyPath, "a regular expression");
                    field = text == null ? null : FieldMatch.regex("", text);
                }
                case "present" -> {
                    kinds++;
                    Boolean present = yaml.bool(value, keyPath);
                    field = present == null ? null : present ? FieldMatch.present("") : FieldMatch.absent("");
                }
                default -> reader.problem(keyPath, ConfigReader.unknownKey(FIELD_MATCH_KEYS));
            }
        }
        if (!mapping.entries().containsKey("name")) {
            reader.required(YamlTree.child(path, "name"));
        }
        if (kinds > 1) {
            reader.problem(path, "gives more than one of exact, regex and present (expected: one of them, or none"
                    + " for present)");
            return null;
        }
        if (name == null) {
            return null;
        }
        return field == null ? FieldMatch.present(name) : new FieldMatch(name, field.kind(), field.value());
    }

    @Nullable AdaptiveConcurrencyConfig adaptiveConcurrency(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with algorithm, initialLimit, minLimit, maxLimit",
                ADAPTIVE_KEYS);
        if (mapping == null) {
            return null;
        }
        AdaptiveConcurrencyConfig none = AdaptiveConcurrencyConfig.NONE;
        String algorithm = AdaptiveConcurrencyConfig.ALGORITHMS.get(0);
        int initial = none.initialLimit();
        int min = none.minLimit();
        int max = none.maxLimit();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "algorithm" -> algorithm = orElse(yaml.text(value, keyPath, "gradient2 or vegas"), algorithm);
                case "initialLimit" -> initial = orElse(yaml.integer(value, keyPath), initial);
                case "minLimit" -> min = orElse(yaml.integer(value, keyPath), min);
                case "maxLimit" -> max = orElse(yaml.integer(value, keyPath), max);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ADAPTIVE_KEYS));
            }
        }
        return new AdaptiveConcurrencyConfig(algorithm, initial, min, max);
    }

    @Nullable SlowStartConfig slowStart(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with window and minWeightPercent", SLOW_START_KEYS);
        if (mapping == null) {
            return null;
        }
        Duration window = SlowStartConfig.NONE.window();
        int minWeightPercent = SlowStartConfig.NONE.minWeightPercent();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            switch (entry.getKey()) {
                case "window" -> window = orElse(yaml.duration(entry.getValue(), keyPath), window);
                case "minWeightPercent" -> minWeightPercent = orElse(yaml.integer(entry.getValue(), keyPath),
                        minWeightPercent);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(SLOW_START_KEYS));
            }
        }
        if (!mapping.entries().containsKey("window")) {
            reader.required(YamlTree.child(path, "window"));
        }
        return new SlowStartConfig(window, minWeightPercent);
    }

    @Nullable OutlierDetectionConfig outlierDetection(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with consecutive5xx, baseEjectionTime, ...",
                OUTLIER_KEYS);
        if (mapping == null) {
            return null;
        }
        OutlierDetectionConfig.Builder detection = OutlierDetectionConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "consecutive5xx" -> apply(yaml.integer(value, keyPath), detection::consecutive5xx);
                case "consecutiveConnectFailures" -> apply(yaml.integer(value, keyPath),
                        detection::consecutiveConnectFailures);
                case "baseEjectionTime" -> apply(yaml.duration(value, keyPath), detection::baseEjectionTime);
                case "maxEjectionTime" -> apply(yaml.duration(value, keyPath), detection::maxEjectionTime);
                case "maxEjectionPercent" -> apply(yaml.integer(value, keyPath), detection::maxEjectionPercent);
                case "latencyPercentOfMedian" -> apply(yaml.integer(value, keyPath), detection::latencyPercentOfMedian);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(OUTLIER_KEYS));
            }
        }
        return detection.build();
    }
}
