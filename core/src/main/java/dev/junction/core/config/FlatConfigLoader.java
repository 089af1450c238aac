package dev.junction.core.config;

import static dev.junction.core.config.ConfigReader.apply;

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
 * backends), {@code maxConcurrent}, {@code maxTunnels} and {@code protocol} (for every backend), {@code strategy},
 * {@code strategy.<option>}, {@code stripPrefix}, {@code rewrite}, {@code whenAllDown}, and the route's policies
 * under the names of {@code docs/configuration.md}. Values and list entries are trimmed, so a
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
            "maxConcurrent", "maxTunnels", "protocol", "strategy", "strategy.<option>", "stripPrefix", "rewrite",
            "whenAllDown",
            "timeouts.connect", "timeouts.response", "timeouts.idle", "timeouts.total", "timeouts.tunnelIdle",
            "preserveHost", "forwarded", "via", "trustedProxies", "upgrades", "tls.caBundle", "tls.certificate",
            "tls.key", "tls.keyStore", "tls.keyPasswordFile", "tls.keyPasswordEnv", "tls.serverName",
            "tls.insecureSkipVerify", "healthCheck.path", "healthCheck.method", "healthCheck.port", "healthCheck.check",
            "healthCheck.class", "healthCheck.interval", "healthCheck.jitter",
            "healthCheck.timeout", "healthCheck.expectedStatuses", "healthCheck.expectedBody",
            "healthCheck.header.<name>", "healthCheck.healthyThreshold", "healthCheck.unhealthyThreshold",
            "healthCheck.startHealthy", "outlierDetection.consecutive5xx",
            "outlierDetection.consecutiveConnectFailures", "outlierDetection.baseEjectionTime",
            "outlierDetection.maxEjectionTime", "outlierDetection.maxEjectionPercent",
            "outlierDetection.latencyPercentOfMedian", "panicThreshold", "slowStart.window",
            "slowStart.minWeightPercent", "queue.maxWaiting", "queue.timeout", "queue.classes",
            "queue.defaultClass", "queue.classHeader", "queue.aging", "queue.classByPrefix.<prefix>",
            "queue.classByMethod.<method>", "queue.classResolver", "adaptiveConcurrency.algorithm",
            "adaptiveConcurrency.initialLimit", "adaptiveConcurrency.minLimit", "adaptiveConcurrency.maxLimit",
            "rateLimit.<name>.key", "rateLimit.<name>.limit",
            "rateLimit.<name>.period", "rateLimit.<name>.burst", "rateLimit.<name>.shared", "sharedLimits.redis",
            "sharedLimits.timeout", "sharedLimits.instances", "sharedLimits.whenUnreachable", "sharedLimits.keyPrefix",
            "circuitBreaker.failureStatuses",
            "circuitBreaker.consecutiveFailures",
            "circuitBreaker.failureRatePercent", "circuitBreaker.minimumCalls", "circuitBreaker.window",
            "circuitBreaker.delay", "circuitBreaker.halfOpenTrials", "circuitBreaker.successesToClose",
            "circuitBreaker.maxOpenPercent", "retries.maxAttempts", "retries.backoffBase", "retries.backoffMax",
            "retries.retryOn", "retries.retryStatuses", "retries.bufferBytes", "retries.budgetPercent",
            "retries.budgetMinPerSecond", "retries.deadline", "retries.attemptsHeader", "fallback.status",
            "fallback.body", "fallback.header.<name>", "affinity.mode", "affinity.cookie.name",
            "affinity.cookie.path", "affinity.cookie.maxAge", "affinity.cookie.httpOnly", "affinity.cookie.secure",
            "affinity.cookie.sameSite", "affinity.header", "affinity.appCookie", "affinity.trustedProxies",
            "affinity.boundedLoadPercent", "affinity.ttl", "affinity.maxSessions", "affinity.secret",
            "client.maxConnectionsPerBackend", "client.idleTimeout", "client.transport",
            "limits.maxRequestHeaderBytes", "limits.maxRequestTargetBytes", "limits.maxExchanges", "limits.maxQueued",
            "admin.enabled", "admin.path",
            "admin.token", "admin.allowedHosts", "admin.metrics", "admin.readyRoutes", "accessLog.enabled",
            "accessLog.format");
    private static final String OPTION_PREFIX = "strategy.";
    private static final String ROUTE = "routes[0]";

    private final ConfigReader reader = new ConfigReader();
    private final FlatKeys keys;
    private final FlatPolicies policies;

    private final ConfigCheck check;

    private FlatConfigLoader(Map<String, String> values, String keyPrefix, ConfigCheck check) {
        this.keys = new FlatKeys(values, keyPrefix, reader);
        this.policies = new FlatPolicies(keys);
        this.check = Objects.requireNonNull(check, "check");
    }

    /**
     * Reads and validates a route from keys without a prefix, such as a filter's {@code init-param}s.
     *
     * @param values the keys and their values
     * @return the configuration, of one route
     * @throws ConfigException listing every problem, unknown keys included
     */
    public static JunctionConfig load(Map<String, String> values) {
        return load(values, ConfigCheck.NONE);
    }

    /**
     * As {@link #load(Map)}, checked with {@code check} too (the strategies and checks it names:
     * {@code Junction.Builder.configCheck()}).
     *
     * @param values the keys and their values
     * @param check the check of what only the Junction knows
     * @return the configuration, of one route
     * @throws ConfigException listing every problem, unknown keys and those {@code check} finds included
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
     * @param props the properties, such as {@link System#getProperties()}
     * @param keyPrefix the prefix of Junction's keys; "" reads every property, so any other is an unknown key
     * @return the configuration, of one route
     * @throws ConfigException listing every problem, unknown keys under the prefix included
     */
    public static JunctionConfig fromProperties(Properties props, String keyPrefix) {
        return fromProperties(props, keyPrefix, ConfigCheck.NONE);
    }

    /**
     * As {@link #fromProperties(Properties, String)}, checked with {@code check} too.
     *
     * @param props the properties, such as {@link System#getProperties()}
     * @param keyPrefix the prefix of Junction's keys; "" reads every property, so any other is an unknown key
     * @param check the check of what only the Junction knows
     * @return the configuration, of one route
     * @throws ConfigException listing every problem, unknown keys under the prefix and those {@code check} finds
     *     included
     */
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
        String prefix = keys.value("prefix");
        if (prefix == null) {
            reader.required(keys.path("prefix"));
            // The root stands in, so the route is still validated; its own problems repeat the one reported.
            route.prefix("/");
            reader.cover(ROUTE + ".prefix");
        } else {
            route.prefix(prefix);
        }
        String name = keys.value("name");
        if (name != null) {
            route.name(name);
        }
        List<String> targets = keys.list("targets", "URLs", "a URL");
        if (targets == null) {
            reader.required(keys.path("targets"));
            reader.coverExactly(ROUTE + ".backends");
        }
        List<@Nullable Integer> weights = weights(targets);
        List<String> backups = keys.list("backups", "URLs", "a URL");
        Integer maxConcurrent = keys.integer("maxConcurrent");
        Integer maxTunnels = keys.integer("maxTunnels");
        String protocolName = keys.value("protocol");
        BackendProtocol protocol = protocolName == null ? null : reader.protocol(keys.path("protocol"), protocolName);
        int index = 0;
        for (int i = 0; targets != null && i < targets.size(); i++, index++) {
            BackendConfig.Builder backend = backend(targets.get(i), index);
            if (weights != null && weights.get(i) != null) {
                backend.weight(weights.get(i));
            }
            route.backend(limit(backend, maxConcurrent, maxTunnels, protocol).build());
        }
        for (int i = 0; backups != null && i < backups.size(); i++, index++) {
            route.backend(limit(backend(backups.get(i), index).backup(true), maxConcurrent, maxTunnels, protocol)
                    .build());
        }
        String strategy = keys.value("strategy");
        Map<String, String> options = options();
        if (strategy == null && keys.has("strategy")) {
            // A strategy without a value is reported; the default in its place would only refuse the options.
            reader.cover(ROUTE + ".strategy");
        } else if (strategy != null || !options.isEmpty()) {
            route.strategy(StrategyConfig.of(strategy != null ? strategy : StrategyConfig.DEFAULT.name(), options));
        }
        apply(keys.bool("stripPrefix"), route::stripPrefix);
        String rewrite = keys.value("rewrite");
        if (rewrite != null) {
            route.rewrite(rewrite);
        }
        String whenAllDown = keys.value("whenAllDown");
        if (whenAllDown != null) {
            apply(reader.whenAllDown(keys.path("whenAllDown"), whenAllDown), route::whenAllDown);
        }
        route.timeouts(policies.timeouts());
        apply(keys.bool("preserveHost"), route::preserveHost);
        apply(keys.bool("forwarded"), route::forwarded);
        apply(keys.bool("via"), route::via);
        apply(keys.list("trustedProxies", "addresses", "an address or CIDR range"), route::trustedProxies);
        apply(keys.list("upgrades", "protocol names", "a protocol name such as websocket"), route::upgrades);
        route.healthCheck(policies.healthCheck());
        apply(keys.integer("panicThreshold"), route::panicThreshold);
        apply(policies.slowStart(), route::slowStart);
        apply(policies.queue(), route::queue);
        route.rateLimits(policies.rateLimits());
        apply(policies.adaptiveConcurrency(), route::adaptiveConcurrency);
        route.tls(policies.tls());
        if (keys.anyKey("circuitBreaker.")) {
            route.circuitBreaker(policies.breaker());
        }
        if (keys.anyKey("retries.")) {
            route.retries(policies.retries());
        }
        if (keys.anyKey("affinity.")) {
            route.affinity(policies.affinity());
        }
        if (keys.anyKey("fallback.")) {
            route.fallback(policies.fallback());
        }
        if (keys.anyKey("outlierDetection.")) {
            route.outlierDetection(policies.outlierDetection());
        }
        ClientConfig.Builder client = ClientConfig.builder();
        apply(keys.integer("client.maxConnectionsPerBackend"), client::maxConnectionsPerBackend);
        apply(keys.duration("client.idleTimeout"), client::idleTimeout);
        client.transport(keys.value("client.transport"));
        LimitsConfig limits = LimitsConfig.DEFAULT;
        Integer maxRequestHeaderBytes = keys.integer("limits.maxRequestHeaderBytes");
        if (maxRequestHeaderBytes != null) {
            limits = limits.withMaxRequestHeaderBytes(maxRequestHeaderBytes);
        }
        Integer maxRequestTargetBytes = keys.integer("limits.maxRequestTargetBytes");
        if (maxRequestTargetBytes != null) {
            limits = limits.withMaxRequestTargetBytes(maxRequestTargetBytes);
        }
        Integer maxExchanges = keys.integer("limits.maxExchanges");
        if (maxExchanges != null) {
            limits = limits.withMaxExchanges(maxExchanges);
        }
        Integer maxQueued = keys.integer("limits.maxQueued");
        if (maxQueued != null) {
            limits = limits.withMaxQueued(maxQueued);
        }
        for (String key : keys.names()) {
            if (!KEYS.contains(key) && !isOption(key) && !FlatPolicies.isHeader(key)) {
                String path = keys.path(key);
                reader.problem(path.isEmpty() ? "''" : path, unknownKey());
            }
        }
        return reader.validate(new JunctionConfig(List.of(route.build()), client.build(), limits, admin(),
                accessLog(), policies.sharedLimits()), check);
    }

    /** Reads the access log: on when any {@code accessLog.} key is set, unless {@code accessLog.enabled} is false. */
    private AccessLogConfig accessLog() {
        if (!keys.anyKey("accessLog.")) {
            return AccessLogConfig.DISABLED;
        }
        Boolean enabled = keys.bool("accessLog.enabled");
        String text = keys.value("accessLog.format");
        AccessLogConfig.Format format = text == null ? null
                : reader.accessLogFormat(keys.path("accessLog.format"), text);
        return new AccessLogConfig(enabled == null || enabled,
                format != null ? format : AccessLogConfig.Format.COMBINED);
    }

    /** Reads the admin endpoint: on when any {@code admin.} key is set, unless {@code admin.enabled} is false. */
    private AdminConfig admin() {
        if (!keys.anyKey("admin.")) {
            return AdminConfig.DISABLED;
        }
        Boolean enabled = keys.bool("admin.enabled");
        String path = keys.value("admin.path");
        List<String> hosts = keys.list("admin.allowedHosts", "host names", "a host name");
        Boolean metrics = keys.bool("admin.metrics");
        List<String> ready = keys.list("admin.readyRoutes", "route names", "a route name");
        return new AdminConfig(enabled == null || enabled, path != null ? path : AdminConfig.DISABLED.path(),
                keys.value("admin.token"), hosts == null ? List.of() : hosts, metrics == null || metrics,
                ready == null ? List.of() : ready);
    }

    /**
     * Returns the weights, one per target, null entries where a weight could not be read; or null if there are
     * none to apply.
     */
    private @Nullable List<@Nullable Integer> weights(@Nullable List<String> targets) {
        List<String> texts = keys.list("weights", "integers", "an integer");
        if (texts == null) {
            return null;
        }
        List<@Nullable Integer> weights = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            weights.add(text.isEmpty() ? null : reader.integer(keys.path("weights[" + i + "]"), text));
        }
        if (targets != null && weights.size() != targets.size()) {
            reader.problem(keys.path("weights"), weights.size() + (weights.size() == 1 ? " value" : " values") + " for "
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

    private static BackendConfig.Builder limit(BackendConfig.Builder backend, @Nullable Integer maxConcurrent,
            @Nullable Integer maxTunnels, @Nullable BackendProtocol protocol) {
        if (maxConcurrent != null) {
            backend.maxConcurrent(maxConcurrent);
        }
        if (protocol != null) {
            backend.protocol(protocol);
        }
        return maxTunnels == null ? backend : backend.maxTunnels(maxTunnels);
    }

    private Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : keys.names()) {
            if (isOption(key)) {
                String value = keys.value(key);
                if (value != null) {
                    options.put(key.substring(OPTION_PREFIX.length()), value);
                }
            }
        }
        return options;
    }

    private static boolean isOption(String key) {
        return key.startsWith(OPTION_PREFIX) && key.length() > OPTION_PREFIX.length();
    }

    private String unknownKey() {
        List<String> known = new ArrayList<>();
        for (String key : KEYS) {
            known.add(keys.path(key));
        }
        return ConfigReader.unknownKey(known);
    }
}
