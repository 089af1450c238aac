package dev.junction.core.config;

import static dev.junction.core.config.ConfigReader.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The readers of the route's policies from flat keys, for {@link FlatConfigLoader}: {@code timeouts.*},
 * {@code healthCheck.*}, {@code slowStart.*}, {@code queue.*}, {@code circuitBreaker.*}, {@code retries.*},
 * {@code affinity.*}, {@code fallback.*} and {@code outlierDetection.*}. Values that cannot be read are recorded in
 * the loader's {@link ConfigReader}, and the policy keeps its default for them.
 *
 * <p>Not thread-safe: one instance per load, as its {@link FlatKeys}.
 */
final class FlatPolicies {

    private static final String HEADER_PREFIX = "healthCheck.header.";
    private static final String FALLBACK_HEADER = "fallback.header.";
    private static final String CLASS_BY_PREFIX = "queue.classByPrefix.";
    private static final String CLASS_BY_METHOD = "queue.classByMethod.";
    private static final String RATE_LIMIT = "rateLimit.";
    private static final List<String> RATE_LIMIT_FIELDS = List.of("key", "limit", "period", "burst", "shared");

    private final FlatKeys keys;
    private final ConfigReader reader;

    FlatPolicies(FlatKeys keys) {
        this.keys = keys;
        this.reader = keys.reader();
    }

    /**
     * Returns whether the key ends in a name of the user's: a header of the health check or of the fallback answer, a
     * path prefix or a method of the queue's classes.
     */
    static boolean isHeader(String key) {
        return named(key, HEADER_PREFIX) || named(key, FALLBACK_HEADER) || named(key, CLASS_BY_PREFIX)
                || named(key, CLASS_BY_METHOD) || named(key, RATE_LIMIT);
    }

    private static boolean named(String key, String prefix) {
        return key.startsWith(prefix) && key.length() > prefix.length();
    }

    /** Returns the values of the keys {@code prefix<name>}, by name. */
    private Map<String, String> byName(String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : keys.names()) {
            String value = named(key, prefix) ? keys.value(key) : null;
            if (value != null) {
                values.put(key.substring(prefix.length()), value);
            }
        }
        return values;
    }

    TimeoutConfig timeouts() {
        TimeoutConfig.Builder timeouts = TimeoutConfig.builder();
        apply(keys.duration("timeouts.connect"), timeouts::connect);
        apply(keys.duration("timeouts.response"), timeouts::response);
        apply(keys.duration("timeouts.idle"), timeouts::idle);
        apply(keys.duration("timeouts.tunnelIdle"), timeouts::tunnelIdle);
        apply(keys.duration("timeouts.total"), timeouts::total);
        return timeouts.build();
    }

    HealthCheckConfig healthCheck() {
        HealthCheckConfig.Builder check = HealthCheckConfig.builder();
        apply(keys.value("healthCheck.path"), check::path);
        apply(keys.value("healthCheck.method"), check::method);
        apply(keys.integer("healthCheck.port"), check::port);
        String named = keys.value("healthCheck.check");
        String className = keys.value("healthCheck.class");
        if (named != null && className != null) {
            reader.problem(keys.path("healthCheck.class"), "a check is named by check or by class, not both");
        } else if (named != null || className != null) {
            check.check(named != null ? named : className);
        }
        apply(keys.duration("healthCheck.interval"), check::interval);
        apply(keys.duration("healthCheck.jitter"), check::jitter);
        apply(keys.duration("healthCheck.timeout"), check::timeout);
        apply(keys.value("healthCheck.expectedStatuses"), check::expectedStatuses);
        apply(keys.value("healthCheck.expectedBody"), check::expectedBody);
        apply(keys.bool("healthCheck.startHealthy"), check::startHealthy);
        for (String key : keys.names()) {
            if (key.startsWith(HEADER_PREFIX) && key.length() > HEADER_PREFIX.length()) {
                String value = keys.value(key);
                if (value != null) {
                    check.header(key.substring(HEADER_PREFIX.length()), value);
                }
            }
        }
        apply(keys.integer("healthCheck.healthyThreshold"), check::healthyThreshold);
        apply(keys.integer("healthCheck.unhealthyThreshold"), check::unhealthyThreshold);
        boolean anyKey = keys.anyKey("healthCheck.");
        if (anyKey && !keys.has("healthCheck.path") && className == null && named == null) {
            reader.required(keys.path("healthCheck.path"));
        }
        return check.build();
    }

    /** Returns how https backends are reached, from the {@code tls.*} keys. */
    TlsConfig tls() {
        TlsConfig.Builder tls = TlsConfig.builder();
        apply(keys.value("tls.caBundle"), tls::caBundle);
        apply(keys.value("tls.certificate"), tls::certificate);
        apply(keys.value("tls.key"), tls::key);
        apply(keys.value("tls.keyStore"), tls::keyStore);
        apply(keys.value("tls.keyPasswordFile"), tls::keyPasswordFile);
        apply(keys.value("tls.keyPasswordEnv"), tls::keyPasswordEnv);
        apply(keys.value("tls.serverName"), tls::serverName);
        apply(keys.bool("tls.insecureSkipVerify"), tls::insecureSkipVerify);
        return tls.build();
    }

    /** Returns the queue, or null if neither of its keys has a value. */
    @Nullable QueueConfig queue() {
        Integer maxWaiting = keys.integer("queue.maxWaiting");
        Duration timeout = keys.duration("queue.timeout");
        List<String> classes = keys.list("queue.classes", "class names", "a class name");
        String defaultClass = keys.value("queue.defaultClass");
        String classHeader = keys.value("queue.classHeader");
        Duration aging = keys.duration("queue.aging");
        Map<String, String> byPrefix = byName(CLASS_BY_PREFIX);
        Map<String, String> byMethod = byName(CLASS_BY_METHOD);
        String classResolver = keys.value("queue.classResolver");
        if (maxWaiting == null && timeout == null && classes == null && defaultClass == null && classHeader == null
                && aging == null && byPrefix.isEmpty() && byMethod.isEmpty() && classResolver == null) {
            return null;
        }
        if (maxWaiting == null && !keys.has("queue.maxWaiting")) {
            reader.required(keys.path("queue.maxWaiting"));
        }
        QueueConfig none = QueueConfig.NONE;
        return QueueConfig.of(maxWaiting != null ? maxWaiting : none.maxWaiting(),
                timeout != null ? timeout : none.timeout()).withClasses(classes != null ? classes : none.classes(),
                QueueConfig.defaultClassOf(classes, defaultClass), classHeader, aging != null ? aging : none.aging())
                .withClassRules(byPrefix, byMethod).withClassResolver(classResolver);
    }

    /**
     * Returns the rate limits of the {@code rateLimit.<name>.<field>} keys, in the order of their names; a key of
     * another form is a problem.
     */
    List<RateLimitConfig> rateLimits() {
        Map<String, Map<String, String>> byLimit = new TreeMap<>();
        for (String key : keys.names()) {
            if (!named(key, RATE_LIMIT)) {
                continue;
            }
            int dot = key.lastIndexOf('.');
            String field = key.substring(dot + 1);
            if (dot <= RATE_LIMIT.length() || !RATE_LIMIT_FIELDS.contains(field)) {
                reader.problem(keys.path(key), "unknown key (expected: rateLimit.<name>.key, .limit, .period, .burst"
                        + " or .shared)");
                continue;
            }
            byLimit.computeIfAbsent(key.substring(RATE_LIMIT.length(), dot), name -> new LinkedHashMap<>())
                    .put(field, key);
        }
        List<RateLimitConfig> limits = new ArrayList<>();
        byLimit.forEach((name, fields) -> {
            String prefix = RATE_LIMIT + name + ".";
            for (String required : List.of("key", "limit", "period")) {
                if (!fields.containsKey(required)) {
                    reader.required(keys.path(prefix + required));
                }
            }
            String key = keys.value(prefix + "key");
            Integer limit = keys.integer(prefix + "limit");
            Duration period = keys.duration(prefix + "period");
            Integer burst = keys.integer(prefix + "burst");
            Boolean shared = keys.bool(prefix + "shared");
            long tokens = limit != null ? limit : 1;
            limits.add(new RateLimitConfig(name, key != null ? key : RateLimitConfig.ROUTE_KEY, tokens,
                    period != null ? period : Duration.ofSeconds(1), burst != null ? burst : tokens,
                    shared != null && shared));
        });
        return limits;
    }

    /** Returns the adaptive concurrency limit of the {@code adaptiveConcurrency.*} keys, or null if none is set. */
    @Nullable AdaptiveConcurrencyConfig adaptiveConcurrency() {
        if (!keys.anyKey("adaptiveConcurrency.")) {
            return null;
        }
        AdaptiveConcurrencyConfig none = AdaptiveConcurrencyConfig.NONE;
        String algorithm = keys.value("adaptiveConcurrency.algorithm");
        Integer initial = keys.integer("adaptiveConcurrency.initialLimit");
        Integer min = keys.integer("adaptiveConcurrency.minLimit");
        Integer max = keys.integer("adaptiveConcurrency.maxLimit");
        String chosen = algorithm != null ? algorithm : AdaptiveConcurrencyConfig.ALGORITHMS.get(0);
        return new AdaptiveConcurrencyConfig(chosen,
                initial != null ? initial : none.initialLimit(), min != null ? min : none.minLimit(),
                max != null ? max : none.maxLimit());
    }

    /** Returns where shared limits are kept, from the {@code sharedLimits.*} keys. */
    SharedLimitsConfig sharedLimits() {
        SharedLimitsConfig none = SharedLimitsConfig.NONE;
        if (!keys.anyKey("sharedLimits.")) {
            return none;
        }
        String redis = keys.value("sharedLimits.redis");
        if (redis == null && !keys.has("sharedLimits.redis")) {
            reader.required(keys.path("sharedLimits.redis"));
        }
        Duration timeout = keys.duration("sharedLimits.timeout");
        Integer instances = keys.integer("sharedLimits.instances");
        String when = keys.value("sharedLimits.whenUnreachable");
        SharedLimitsConfig.WhenUnreachable whenUnreachable = when == null ? null
                : reader.whenUnreachable(keys.path("sharedLimits.whenUnreachable"), when);
        String keyPrefix = keys.value("sharedLimits.keyPrefix");
        return new SharedLimitsConfig(redis, timeout != null ? timeout : none.timeout(),
                instances != null ? instances : none.instances(),
                whenUnreachable != null ? whenUnreachable : none.whenUnreachable(),
                keyPrefix != null ? keyPrefix : none.keyPrefix());
    }

    /** Returns slow start, or null if neither of its keys has a value. */
    @Nullable SlowStartConfig slowStart() {
        Duration window = keys.duration("slowStart.window");
        Integer minWeightPercent = keys.integer("slowStart.minWeightPercent");
        if (window == null && minWeightPercent == null) {
            return null;
        }
        if (window == null && !keys.has("slowStart.window")) {
            reader.required(keys.path("slowStart.window"));
        }
        return new SlowStartConfig(window != null ? window : SlowStartConfig.NONE.window(),
                minWeightPercent != null ? minWeightPercent : SlowStartConfig.NONE.minWeightPercent());
    }

    BreakerConfig breaker() {
        BreakerConfig.Builder breaker = BreakerConfig.builder();
        apply(keys.value("circuitBreaker.failureStatuses"), breaker::failureStatuses);
        apply(keys.integer("circuitBreaker.consecutiveFailures"), breaker::consecutiveFailures);
        apply(keys.integer("circuitBreaker.failureRatePercent"), breaker::failureRatePercent);
        apply(keys.integer("circuitBreaker.minimumCalls"), breaker::minimumCalls);
        apply(keys.duration("circuitBreaker.window"), breaker::window);
        apply(keys.duration("circuitBreaker.delay"), breaker::delay);
        apply(keys.integer("circuitBreaker.halfOpenTrials"), breaker::halfOpenTrials);
        apply(keys.integer("circuitBreaker.successesToClose"), breaker::successesToClose);
        apply(keys.integer("circuitBreaker.maxOpenPercent"), breaker::maxOpenPercent);
        return breaker.build();
    }

    RetryConfig retries() {
        RetryConfig.Builder retries = RetryConfig.builder();
        apply(keys.integer("retries.maxAttempts"), retries::maxAttempts);
        Duration base = keys.duration("retries.backoffBase");
        Duration max = keys.duration("retries.backoffMax");
        retries.backoff(base != null ? base : RetryConfig.NONE.backoffBase(),
                max != null ? max : RetryConfig.NONE.backoffMax());
        List<String> retryOn = keys.list("retries.retryOn", "failures", ConfigReader.RETRY_ON);
        if (retryOn != null) {
            retries.retryOn(reader.retryOn(keys.path("retries.retryOn"), retryOn));
        }
        apply(keys.value("retries.retryStatuses"), retries::retryStatuses);
        apply(keys.integer("retries.bufferBytes"), retries::bufferBytes);
        Integer percent = keys.integer("retries.budgetPercent");
        Integer perSecond = keys.integer("retries.budgetMinPerSecond");
        retries.budget(percent != null ? percent : RetryConfig.NONE.budgetPercent(),
                perSecond != null ? perSecond : RetryConfig.NONE.budgetMinPerSecond());
        apply(keys.duration("retries.deadline"), retries::deadline);
        apply(keys.bool("retries.attemptsHeader"), retries::attemptsHeader);
        return retries.build();
    }

    AffinityConfig affinity() {
        String modeText = keys.value("affinity.mode");
        AffinityConfig.Mode mode = null;
        if (modeText == null) {
            if (!keys.has("affinity.mode")) {
                reader.required(keys.path("affinity.mode"));
            }
        } else {
            mode = AffinityConfig.Mode.fromConfigName(modeText);
            if (mode == null) {
                reader.problem(keys.path("affinity.mode"), ConfigReader.quote(modeText)
                        + " (expected: cookie, header, ip or app-cookie)");
            }
        }
        AffinityConfig.Builder affinity = AffinityConfig.builder(mode != null ? mode : AffinityConfig.Mode.COOKIE);
        apply(keys.value("affinity.cookie.name"), affinity::cookieName);
        apply(keys.value("affinity.cookie.path"), affinity::cookiePath);
        apply(keys.duration("affinity.cookie.maxAge"), affinity::cookieMaxAge);
        apply(keys.bool("affinity.cookie.httpOnly"), affinity::cookieHttpOnly);
        apply(keys.bool("affinity.cookie.secure"), affinity::cookieSecure);
        apply(keys.value("affinity.cookie.sameSite"), affinity::cookieSameSite);
        apply(keys.value("affinity.header"), affinity::header);
        apply(keys.value("affinity.appCookie"), affinity::appCookie);
        apply(keys.list("affinity.trustedProxies", "addresses", "an address or CIDR range"),
                affinity::trustedProxies);
        apply(keys.integer("affinity.boundedLoadPercent"), affinity::boundedLoadPercent);
        apply(keys.duration("affinity.ttl"), affinity::ttl);
        apply(keys.integer("affinity.maxSessions"), affinity::maxSessions);
        apply(keys.value("affinity.secret"), affinity::secret);
        return affinity.build();
    }

    FallbackConfig fallback() {
        Integer status = keys.integer("fallback.status");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String key : keys.names()) {
            if (key.startsWith(FALLBACK_HEADER) && key.length() > FALLBACK_HEADER.length()) {
                String value = keys.value(key);
                if (value != null) {
                    headers.put(key.substring(FALLBACK_HEADER.length()), value);
                }
            }
        }
        return new FallbackConfig(status != null ? status : FallbackConfig.DEFAULT.status(),
                keys.value("fallback.body"), headers);
    }

    OutlierDetectionConfig outlierDetection() {
        OutlierDetectionConfig.Builder detection = OutlierDetectionConfig.builder();
        apply(keys.integer("outlierDetection.consecutive5xx"), detection::consecutive5xx);
        apply(keys.integer("outlierDetection.consecutiveConnectFailures"), detection::consecutiveConnectFailures);
        apply(keys.duration("outlierDetection.baseEjectionTime"), detection::baseEjectionTime);
        apply(keys.duration("outlierDetection.maxEjectionTime"), detection::maxEjectionTime);
        apply(keys.integer("outlierDetection.maxEjectionPercent"), detection::maxEjectionPercent);
        apply(keys.integer("outlierDetection.latencyPercentOfMedian"), detection::latencyPercentOfMedian);
        return detection.build();
    }
}
