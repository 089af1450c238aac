package dev.junction.core.config;

import static dev.junction.core.config.ConfigReader.apply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * Reads a one-route {@link JunctionConfig} from flat string keys, the form of a {@code web.xml} filter's
 * {@code init-param}s and of system properties.
 *
 * <pre>{@code
 * JunctionConfig config = FlatConfigLoader.load(Map.of(
 *         "prefix", "/api",
 *         "targets", "http://10.0.0.1:8080, http://10.0.0.2:8080",
 *         "weights", "3, 1",
 *         "strategy", "weighted-round-robin"));
 * JunctionConfig fromSystem = FlatConfigLoader.fromProperties(System.getProperties(), "junction.");
 * }</pre>
 *
 * <p>The keys: {@code prefix} (required), {@code name}, {@code targets} (comma-separated URLs, required),
 * {@code weights} (comma-separated integers, one per target), {@code backups} (comma-separated URLs of backup
 * backends), {@code maxConcurrent} (for every backend), {@code strategy}, {@code strategy.<option>},
 * {@code stripPrefix}, {@code rewrite} and {@code whenAllDown}. Values and list entries are trimmed, so a
 * {@code web.xml} value may span lines. An empty value is a problem, never a default. The targets become the route's
 * first backends, in order, and the backups follow them.
 *
 * <p>Every problem is reported at once in one {@link ConfigException}: a problem of reading a key has the key as its
 * path ({@code weights[1]: 'x' (expected: an integer)}); a problem the {@link Validator} finds in the model has the
 * model's path ({@code routes[0].backends[1].weight: must be > 0 (was 0)}).
 *
 * <p>Stateless and thread-safe.
 */
public final class FlatConfigLoader {

    /** The keys, as problems list them; {@code strategy.<option>} stands for any option. */
    private static final List<String> KEYS = List.of("prefix", "name", "targets", "weights", "backups",
            "maxConcurrent", "strategy", "strategy.<option>", "stripPrefix", "rewrite", "whenAllDown",
            "timeouts.connect", "timeouts.response", "timeouts.idle", "timeouts.total", "preserveHost", "forwarded",
            "via", "healthCheck.path", "healthCheck.method", "healthCheck.port", "healthCheck.check", "healthCheck.class",
            "healthCheck.interval", "healthCheck.jitter",
            "healthCheck.timeout", "healthCheck.expectedStatuses", "healthCheck.expectedBody",
            "healthCheck.header.<name>", "healthCheck.healthyThreshold", "healthCheck.unhealthyThreshold",
            "healthCheck.startHealthy", "outlierDetection.consecutive5xx",
            "outlierDetection.consecutiveConnectFailures", "outlierDetection.baseEjectionTime",
            "outlierDetection.maxEjectionTime", "outlierDetection.maxEjectionPercent",
            "outlierDetection.latencyPercentOfMedian", "panicThreshold", "slowStart.window",
            "slowStart.minWeightPercent", "circuitBreaker.failureStatuses", "circuitBreaker.consecutiveFailures",
            "circuitBreaker.failureRatePercent", "circuitBreaker.minimumCalls", "circuitBreaker.window",
            "circuitBreaker.delay", "circuitBreaker.halfOpenTrials", "circuitBreaker.successesToClose",
            "retries.maxAttempts", "retries.backoffBase", "retries.backoffMax", "retries.retryOn",
            "retries.retryStatuses", "retries.bufferBytes", "retries.budgetPercent", "retries.budgetMinPerSecond",
            "retries.deadline", "retries.attemptsHeader", "fallback.status", "fallback.body", "fallback.header.<name>",
            "affinity.mode", "affinity.cookie.name",
            "affinity.cookie.path", "affinity.cookie.maxAge", "affinity.cookie.httpOnly", "affinity.cookie.secure",
            "affinity.cookie.sameSite", "affinity.header", "affinity.appCookie", "affinity.trustedProxies",
            "affinity.boundedLoadPercent", "affinity.ttl", "affinity.maxSessions", "affinity.secret",
            "client.maxConnectionsPerBackend", "client.idleTimeout",
            "limits.maxRequestHeaderBytes", "admin.enabled", "admin.path", "admin.token");
    private static final String OPTION_PREFIX = "strategy.";
    private static final String HEADER_PREFIX = "healthCheck.header.";
    private static final String FALLBACK_HEADER = "fallback.header.";
    private static final String ROUTE = "routes[0]";

    private final Map<String, String> values;
    private final String keyPrefix;
    private final ConfigReader reader = new ConfigReader();

    private final ConfigCheck check;

    private FlatConfigLoader(Map<String, String> values, String keyPrefix, ConfigCheck check) {
        this.values = values;
        this.keyPrefix = keyPrefix;
        this.check = Objects.requireNonNull(check, "check");
    }

    /**
     * Reads and validates a route from keys without a prefix, such as a filter's {@code init-param}s.
     *
     * @throws ConfigException listing every problem, unknown keys included
     */
    public static JunctionConfig load(Map<String, String> values) {
        return load(values, ConfigCheck.NONE);
    }

    /**
     * As {@link #load(Map)}, checked with {@code check} too (the strategies and checks it names:
     * {@code Junction.Builder.configCheck()}).
     */
    public static JunctionConfig load(Map<String, String> values, ConfigCheck check) {
        Objects.requireNonNull(values, "values");
        return new FlatConfigLoader(sorted(values), "", check).read();
    }

    /**
     * Reads and validates a route from the properties whose keys start with {@code keyPrefix} ({@code junction.}
     * reads {@code junction.prefix}, {@code junction.targets}, ...); other properties are ignored. Problems name the
     * keys in full.
     *
     * @param keyPrefix the prefix of Junction's keys; "" reads every property, so any other is an unknown key
     * @throws ConfigException listing every problem, unknown keys under the prefix included
     */
    public static JunctionConfig fromProperties(Properties props, String keyPrefix) {
        return fromProperties(props, keyPrefix, ConfigCheck.NONE);
    }

    /** As {@link #fromProperties(Properties, String)}, checked with {@code check} too. */
    public static JunctionConfig fromProperties(Properties props, String keyPrefix, ConfigCheck check) {
        Objects.requireNonNull(props, "props");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(keyPrefix)) {
                values.put(name.substring(keyPrefix.length()), props.getProperty(name));
            }
        }
        return new FlatConfigLoader(sorted(values), keyPrefix, check).read();
    }

    /** Returns the entries sorted by key, so problems come in the same order however the map iterates. */
    private HealthCheckConfig healthCheck() {
        HealthCheckConfig.Builder check = HealthCheckConfig.builder();
        apply(value("healthCheck.path"), check::path);
        apply(value("healthCheck.method"), check::method);
        apply(integer("healthCheck.port"), check::port);
        String named = value("healthCheck.check");
        String className = value("healthCheck.class");
        if (named != null && className != null) {
            reader.problem(path("healthCheck.class"), "a check is named by check or by class, not both");
        } else if (named != null || className != null) {
            check.check(named != null ? named : className);
        }
        apply(duration("healthCheck.interval"), check::interval);
        apply(duration("healthCheck.jitter"), check::jitter);
        apply(duration("healthCheck.timeout"), check::timeout);
        apply(value("healthCheck.expectedStatuses"), check::expectedStatuses);
        apply(value("healthCheck.expectedBody"), check::expectedBody);
        apply(bool("healthCheck.startHealthy"), check::startHealthy);
        for (String key : values.keySet()) {
            if (key.startsWith(HEADER_PREFIX) && key.length() > HEADER_PREFIX.length()) {
                String value = value(key);
                if (value != null) {
                    check.header(key.substring(HEADER_PREFIX.length()), value);
                }
            }
        }
        apply(integer("healthCheck.healthyThreshold"), check::healthyThreshold);
        apply(integer("healthCheck.unhealthyThreshold"), check::unhealthyThreshold);
        boolean anyKey = values.keySet().stream().anyMatch(key -> key.startsWith("healthCheck."));
        if (anyKey && !values.containsKey("healthCheck.path") && className == null && named == null) {
            reader.required(path("healthCheck.path"));
        }
        return check.build();
    }

    private static Map<String, String> sorted(Map<String, String> values) {
        Map<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            // A HashMap may hold a null key; it is reported as the empty key, which no reading accepts.
            sorted.put(entry.getKey() == null ? "" : entry.getKey(), entry.getValue());
        }
        return sorted;
    }

    private JunctionConfig read() {
        RouteConfig.Builder route = RouteConfig.builder();
        String prefix = value("prefix");
        if (prefix == null) {
            reader.required(path("prefix"));
            // The root stands in, so the route is still validated; its own problems repeat the one reported.
            route.prefix("/");
            reader.cover(ROUTE + ".prefix");
        } else {
            route.prefix(prefix);
        }
        String name = value("name");
        if (name != null) {
            route.name(name);
        }
        List<String> targets = list("targets", "URLs", "a URL");
        if (targets == null) {
            reader.required(path("targets"));
            reader.coverExactly(ROUTE + ".backends");
        }
        List<@Nullable Integer> weights = weights(targets);
        List<String> backups = list("backups", "URLs", "a URL");
        Integer maxConcurrent = integer("maxConcurrent");
        int index = 0;
        for (int i = 0; targets != null && i < targets.size(); i++, index++) {
            BackendConfig.Builder backend = backend(targets.get(i), index);
            if (weights != null && weights.get(i) != null) {
                backend.weight(weights.get(i));
            }
            route.backend(limit(backend, maxConcurrent).build());
        }
        for (int i = 0; backups != null && i < backups.size(); i++, index++) {
            route.backend(limit(backend(backups.get(i), index).backup(true), maxConcurrent).build());
        }
        String strategy = value("strategy");
        Map<String, String> options = options();
        if (strategy == null && values.containsKey("strategy")) {
            // A strategy without a value is reported; the default in its place would only refuse the options.
            reader.cover(ROUTE + ".strategy");
        } else if (strategy != null || !options.isEmpty()) {
            route.strategy(StrategyConfig.of(strategy != null ? strategy : StrategyConfig.DEFAULT.name(), options));
        }
        apply(bool("stripPrefix"), route::stripPrefix);
        String rewrite = value("rewrite");
        if (rewrite != null) {
            route.rewrite(rewrite);
        }
        String whenAllDown = value("whenAllDown");
        if (whenAllDown != null) {
            apply(reader.whenAllDown(path("whenAllDown"), whenAllDown), route::whenAllDown);
        }
        TimeoutConfig.Builder timeouts = TimeoutConfig.builder();
        apply(duration("timeouts.connect"), timeouts::connect);
        apply(duration("timeouts.response"), timeouts::response);
        apply(duration("timeouts.idle"), timeouts::idle);
        apply(duration("timeouts.total"), timeouts::total);
        route.timeouts(timeouts.build());
        apply(bool("preserveHost"), route::preserveHost);
        apply(bool("forwarded"), route::forwarded);
        apply(bool("via"), route::via);
        route.healthCheck(healthCheck());
        apply(integer("panicThreshold"), route::panicThreshold);
        Duration window = duration("slowStart.window");
        Integer minWeightPercent = integer("slowStart.minWeightPercent");
        if (window != null || minWeightPercent != null) {
            if (window == null && !values.containsKey("slowStart.window")) {
                reader.required(path("slowStart.window"));
            }
            route.slowStart(new SlowStartConfig(window != null ? window : SlowStartConfig.NONE.window(),
                    minWeightPercent != null ? minWeightPercent : SlowStartConfig.NONE.minWeightPercent()));
        }
        if (anyKey("circuitBreaker.")) {
            BreakerConfig.Builder breaker = BreakerConfig.builder();
            apply(value("circuitBreaker.failureStatuses"), breaker::failureStatuses);
            apply(integer("circuitBreaker.consecutiveFailures"), breaker::consecutiveFailures);
            apply(integer("circuitBreaker.failureRatePercent"), breaker::failureRatePercent);
            apply(integer("circuitBreaker.minimumCalls"), breaker::minimumCalls);
            apply(duration("circuitBreaker.window"), breaker::window);
            apply(duration("circuitBreaker.delay"), breaker::delay);
            apply(integer("circuitBreaker.halfOpenTrials"), breaker::halfOpenTrials);
            apply(integer("circuitBreaker.successesToClose"), breaker::successesToClose);
            route.circuitBreaker(breaker.build());
        }
        if (anyKey("retries.")) {
            route.retries(retries());
        }
        if (anyKey("affinity.")) {
            affinity(route);
        }
        if (anyKey("fallback.")) {
            Integer status = integer("fallback.status");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String key : values.keySet()) {
                if (key.startsWith(FALLBACK_HEADER) && key.length() > FALLBACK_HEADER.length()) {
                    String value = value(key);
                    if (value != null) {
                        headers.put(key.substring(FALLBACK_HEADER.length()), value);
                    }
                }
            }
            route.fallback(new FallbackConfig(status != null ? status : FallbackConfig.DEFAULT.status(),
                    value("fallback.body"), headers));
        }
        if (anyKey("outlierDetection.")) {
            OutlierDetectionConfig.Builder detection = OutlierDetectionConfig.builder();
            apply(integer("outlierDetection.consecutive5xx"), detection::consecutive5xx);
            apply(integer("outlierDetection.consecutiveConnectFailures"), detection::consecutiveConnectFailures);
            apply(duration("outlierDetection.baseEjectionTime"), detection::baseEjectionTime);
            apply(duration("outlierDetection.maxEjectionTime"), detection::maxEjectionTime);
            apply(integer("outlierDetection.maxEjectionPercent"), detection::maxEjectionPercent);
            apply(integer("outlierDetection.latencyPercentOfMedian"), detection::latencyPercentOfMedian);
            route.outlierDetection(detection.build());
        }
        ClientConfig.Builder client = ClientConfig.builder();
        apply(integer("client.maxConnectionsPerBackend"), client::maxConnectionsPerBackend);
        apply(duration("client.idleTimeout"), client::idleTimeout);
        Integer maxRequestHeaderBytes = integer("limits.maxRequestHeaderBytes");
        LimitsConfig limits = maxRequestHeaderBytes == null ? LimitsConfig.DEFAULT
                : new LimitsConfig(maxRequestHeaderBytes);
        for (String key : values.keySet()) {
            if (!KEYS.contains(key) && !isOption(key) && !isHeader(key)) {
                String path = path(key);
                reader.problem(path.isEmpty() ? "''" : path, unknownKey());
            }
        }
        return reader.validate(new JunctionConfig(List.of(route.build()), client.build(), limits, admin()), check);
    }

    private boolean anyKey(String prefix) {
        return values.keySet().stream().anyMatch(key -> key.startsWith(prefix));
    }

    private void affinity(RouteConfig.Builder route) {
        String modeText = value("affinity.mode");
        AffinityConfig.Mode mode = null;
        if (modeText == null) {
            if (!values.containsKey("affinity.mode")) {
                reader.required(path("affinity.mode"));
            }
        } else {
            mode = AffinityConfig.Mode.fromConfigName(modeText);
            if (mode == null) {
                reader.problem(path("affinity.mode"), ConfigReader.quote(modeText)
                        + " (expected: cookie, header, ip or app-cookie)");
            }
        }
        AffinityConfig.Builder affinity = AffinityConfig.builder(mode != null ? mode : AffinityConfig.Mode.COOKIE);
        apply(value("affinity.cookie.name"), affinity::cookieName);
        apply(value("affinity.cookie.path"), affinity::cookiePath);
        apply(duration("affinity.cookie.maxAge"), affinity::cookieMaxAge);
        apply(bool("affinity.cookie.httpOnly"), affinity::cookieHttpOnly);
        apply(bool("affinity.cookie.secure"), affinity::cookieSecure);
        apply(value("affinity.cookie.sameSite"), affinity::cookieSameSite);
        apply(value("affinity.header"), affinity::header);
        apply(value("affinity.appCookie"), affinity::appCookie);
        apply(list("affinity.trustedProxies", "addresses", "an address or CIDR range"), affinity::trustedProxies);
        apply(integer("affinity.boundedLoadPercent"), affinity::boundedLoadPercent);
        apply(duration("affinity.ttl"), affinity::ttl);
        apply(integer("affinity.maxSessions"), affinity::maxSessions);
        apply(value("affinity.secret"), affinity::secret);
        route.affinity(affinity.build());
    }

    private RetryConfig retries() {
        RetryConfig.Builder retries = RetryConfig.builder();
        apply(integer("retries.maxAttempts"), retries::maxAttempts);
        Duration base = duration("retries.backoffBase");
        Duration max = duration("retries.backoffMax");
        retries.backoff(base != null ? base : RetryConfig.NONE.backoffBase(),
                max != null ? max : RetryConfig.NONE.backoffMax());
        List<String> retryOn = list("retries.retryOn", "failures", ConfigReader.RETRY_ON);
        if (retryOn != null) {
            retries.retryOn(reader.retryOn(path("retries.retryOn"), retryOn));
        }
        apply(value("retries.retryStatuses"), retries::retryStatuses);
        apply(integer("retries.bufferBytes"), retries::bufferBytes);
        Integer percent = integer("retries.budgetPercent");
        Integer perSecond = integer("retries.budgetMinPerSecond");
        retries.budget(percent != null ? percent : RetryConfig.NONE.budgetPercent(),
                perSecond != null ? perSecond : RetryConfig.NONE.budgetMinPerSecond());
        apply(duration("retries.deadline"), retries::deadline);
        apply(bool("retries.attemptsHeader"), retries::attemptsHeader);
        return retries.build();
    }

    /** Reads the admin endpoint: on when any {@code admin.} key is set, unless {@code admin.enabled} is false. */
    private AdminConfig admin() {
        if (values.keySet().stream().noneMatch(key -> key.startsWith("admin."))) {
            return AdminConfig.DISABLED;
        }
        Boolean enabled = bool("admin.enabled");
        String path = value("admin.path");
        return new AdminConfig(enabled == null || enabled, path != null ? path : AdminConfig.DISABLED.path(),
                value("admin.token"));
    }

    /**
     * Returns the weights, one per target, null entries where a weight could not be read; or null if there are
     * none to apply.
     */
    private @Nullable List<@Nullable Integer> weights(@Nullable List<String> targets) {
        List<String> texts = list("weights", "integers", "an integer");
        if (texts == null) {
            return null;
        }
        List<@Nullable Integer> weights = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            weights.add(text.isEmpty() ? null : reader.integer(path("weights[" + i + "]"), text));
        }
        if (targets != null && weights.size() != targets.size()) {
            reader.problem(path("weights"), weights.size() + (weights.size() == 1 ? " value" : " values") + " for "
                    + targets.size() + (targets.size() == 1 ? " target" : " targets"));
            return null;
        }
        return weights;
    }

    /** Returns a backend at this URL; an empty entry, already reported, gets a placeholder covering its problems. */
    private BackendConfig.Builder backend(String url, int index) {
        if (!url.isEmpty()) {
            return BackendConfig.builder().url(url);
        }
        String modelPath = ROUTE + ".backends[" + index + "]";
        reader.cover(modelPath);
        return BackendConfig.builder().url(ConfigReader.placeholderUrl(index));
    }

    private static BackendConfig.Builder limit(BackendConfig.Builder backend, @Nullable Integer maxConcurrent) {
        return maxConcurrent == null ? backend : backend.maxConcurrent(maxConcurrent);
    }

    private Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : values.keySet()) {
            if (isOption(key)) {
                String value = value(key);
                if (value != null) {
                    options.put(key.substring(OPTION_PREFIX.length()), value);
                }
            }
        }
        return options;
    }

    private static boolean isHeader(String key) {
        return key.startsWith(HEADER_PREFIX) && key.length() > HEADER_PREFIX.length()
                || key.startsWith(FALLBACK_HEADER) && key.length() > FALLBACK_HEADER.length();
    }

    private static boolean isOption(String key) {
        return key.startsWith(OPTION_PREFIX) && key.length() > OPTION_PREFIX.length();
    }

    private @Nullable Integer integer(String key) {
        String text = value(key);
        return text == null ? null : reader.integer(path(key), text);
    }

    private @Nullable Boolean bool(String key) {
        String text = value(key);
        return text == null ? null : reader.bool(path(key), text);
    }

    private @Nullable Duration duration(String key) {
        String text = value(key);
        return text == null ? null : reader.duration(path(key), text);
    }

    /**
     * Returns the entries of a comma-separated list, trimmed, with "" for each empty entry (reported); or null if
     * the key is absent, has no value or is empty (both reported).
     */
    private @Nullable List<String> list(String key, String entries, String entry) {
        String text = value(key);
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            reader.problem(path(key), "empty (expected: comma-separated " + entries + ")");
            return null;
        }
        List<String> list = new ArrayList<>();
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                reader.problem(path(key + "[" + i + "]"), "empty entry in " + ConfigReader.quote(text)
                        + " (expected: " + entry + ")");
            }
            list.add(part);
        }
        return list;
    }

    /** Returns the trimmed value of a key, or null if it is absent or has no value (reported). */
    private @Nullable String value(String key) {
        if (!values.containsKey(key)) {
            return null;
        }
        String value = values.get(key);
        if (value == null) {
            reader.problem(path(key), "no value");
            return null;
        }
        return value.trim();
    }

    private String path(String key) {
        return keyPrefix + key;
    }

    private String unknownKey() {
        List<String> known = new ArrayList<>();
        for (String key : KEYS) {
            known.add(path(key));
        }
        return ConfigReader.unknownKey(known);
    }
}
