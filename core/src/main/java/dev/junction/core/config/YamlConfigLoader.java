package dev.junction.core.config;

import static dev.junction.core.config.ConfigReader.apply;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.YamlTree.Mapping;
import dev.junction.core.config.YamlTree.Node;
import dev.junction.core.config.YamlTree.Scalar;
import dev.junction.core.config.YamlTree.Sequence;
import dev.junction.core.config.YamlTree.Unreadable;

/**
 * Reads a {@link JunctionConfig} from YAML.
 *
 * <pre>{@code
 * JunctionConfig config = YamlConfigLoader.load(Path.of("junction.yaml"));
 * }</pre>
 * where {@code junction.yaml} holds
 * <pre>
 * routes:
 *   - prefix: /api
 *     strategy: weighted-round-robin
 *     backends:
 *       - url: http://10.0.0.1:8080
 *         weight: 3
 *       - http://10.0.0.2:8080
 * </pre>
 *
 * <p>Every problem is reported at once, each with its path, in one {@link ConfigException}: syntax errors (with line
 * and column), unknown keys, values of the wrong type, missing required keys, and then whatever the
 * {@link Validator} finds in the model. Values are read as written: booleans are only {@code true} and
 * {@code false}, integers only decimal, and text keeps its form ({@code version: 1.10} is {@code "1.10"}). Aliases of
 * mappings and lists and merge keys ({@code <<: *defaults}) are resolved; top-level keys starting with {@code x-}
 * are ignored, as a place to define anchors. docs/configuration.md lists every key.
 *
 * <p>Stateless and thread-safe: each call reads with state of its own.
 */
public final class YamlConfigLoader {

    private static final List<String> TOP_KEYS = List.of("routes", "client", "limits", "admin", "x-<name>");
    private static final List<String> ADMIN_KEYS = List.of("enabled", "path", "token");
    private static final List<String> CLIENT_KEYS = List.of("maxConnectionsPerBackend", "idleTimeout");
    private static final List<String> LIMITS_KEYS = List.of("maxRequestHeaderBytes");
    private static final List<String> TIMEOUT_KEYS = List.of("connect", "response", "idle", "total");
    private static final List<String> OUTLIER_KEYS = List.of("consecutive5xx", "consecutiveConnectFailures",
            "baseEjectionTime", "maxEjectionTime", "maxEjectionPercent", "latencyPercentOfMedian");
    private static final List<String> BREAKER_KEYS = List.of("failureStatuses", "consecutiveFailures",
            "failureRatePercent", "minimumCalls", "window", "delay", "halfOpenTrials", "successesToClose");
    private static final List<String> RETRY_KEYS = List.of("maxAttempts", "backoffBase", "backoffMax", "retryOn",
            "retryStatuses", "bufferBytes", "budgetPercent", "budgetMinPerSecond", "deadline", "attemptsHeader");
    private static final List<String> AFFINITY_KEYS = List.of("mode", "cookie", "header", "appCookie",
            "trustedProxies", "boundedLoadPercent", "ttl", "maxSessions", "secret");
    private static final List<String> AFFINITY_COOKIE_KEYS = List.of("name", "path", "maxAge", "httpOnly", "secure",
            "sameSite");
    private static final List<String> FALLBACK_KEYS = List.of("status", "body", "headers");
    private static final List<String> SLOW_START_KEYS = List.of("window", "minWeightPercent");
    private static final List<String> HEALTH_CHECK_KEYS = List.of("path", "method", "port", "interval", "jitter",
            "timeout", "expectedStatuses", "expectedBody", "headers", "healthyThreshold", "unhealthyThreshold",
            "startHealthy", "check", "class", "options");
    /** Top-level keys starting with this are ignored: a place to define anchors, as in Docker Compose files. */
    private static final String EXTENSION_PREFIX = "x-";
    private static final List<String> ROUTE_KEYS =
            List.of("name", "prefix", "stripPrefix", "rewrite", "strategy", "whenAllDown", "timeouts", "preserveHost",
                    "forwarded", "via", "healthCheck", "outlierDetection", "panicThreshold", "slowStart",
                    "circuitBreaker", "retries", "fallback", "affinity", "backends");
    private static final List<String> BACKEND_KEYS =
            List.of("url", "id", "weight", "backup", "disabled", "maxConcurrent", "metadata", "healthCheck");
    private static final String MAPPING_WITH_ROUTES = "a mapping with the key 'routes'";

    private final ConfigReader reader = new ConfigReader();
    private final ConfigCheck check;

    private YamlConfigLoader(ConfigCheck check) {
        this.check = Objects.requireNonNull(check, "check");
    }

    /**
     * Reads and validates the configuration in a YAML file.
     *
     * @throws ConfigException listing every problem, including a file that does not exist or cannot be read
     */
    public static JunctionConfig load(Path file) {
        return load(file, ConfigCheck.NONE);
    }

    /**
     * Reads and validates the configuration in a YAML file, and checks it with {@code check} too (the strategies and
     * checks it names: {@code Junction.Builder.configCheck()}).
     *
     * @throws ConfigException listing every problem, including a file that does not exist or cannot be read
     */
    public static JunctionConfig load(Path file, ConfigCheck check) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString(), check);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem("", "file not found: " + file)));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem("", "cannot read " + file + ": " + reason(e))));
        }
    }

    /**
     * Reads and validates the configuration in a YAML text; problems name the source {@code <string>}.
     *
     * @throws ConfigException listing every problem
     */
    public static JunctionConfig load(String yamlText) {
        return load(yamlText, ConfigCheck.NONE);
    }

    /** As {@link #load(String)}, checked with {@code check} too. */
    public static JunctionConfig load(String yamlText, ConfigCheck check) {
        Objects.requireNonNull(yamlText, "yamlText");
        return new YamlConfigLoader(check).read(factory -> factory.createParser(yamlText), "<string>");
    }

    /**
     * Reads and validates the configuration in a YAML stream in UTF-8 (a byte-order mark is skipped). The stream is
     * read but not closed.
     *
     * @param sourceName how problems name the source, such as a file name or URL
     * @throws ConfigException listing every problem, including one reading the stream
     */
    public static JunctionConfig load(InputStream in, String sourceName) {
        return load(in, sourceName, ConfigCheck.NONE);
    }

    /** As {@link #load(InputStream, String)}, checked with {@code check} too. */
    public static JunctionConfig load(InputStream in, String sourceName, ConfigCheck check) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        return new YamlConfigLoader(check).read(factory -> factory.createParser(in), sourceName);
    }

    private JunctionConfig read(YamlTree.Source source, String sourceName) {
        Node root = YamlTree.read(source, sourceName, reader);
        if (root == null) {
            throw reader.failure();
        }
        if (root instanceof Scalar scalar && (scalar.isNull() || scalar.text().isEmpty())) {
            reader.problem("", sourceName + " is empty (expected: " + MAPPING_WITH_ROUTES + ")");
            throw reader.failure();
        }
        if (!(root instanceof Mapping top)) {
            if (!(root instanceof Unreadable)) {
                reader.problem("", sourceName + " holds " + YamlTree.describe(root)
                        + " (expected: " + MAPPING_WITH_ROUTES + ")");
            }
            throw reader.failure();
        }
        List<RouteConfig> routes = new ArrayList<>();
        ClientConfig client = ClientConfig.DEFAULT;
        LimitsConfig limits = LimitsConfig.DEFAULT;
        AdminConfig admin = AdminConfig.DISABLED;
        for (Map.Entry<String, Node> entry : top.entries().entrySet()) {
            switch (entry.getKey()) {
                case "routes" -> routes(entry.getValue(), routes);
                case "client" -> client = client(entry.getValue());
                case "limits" -> limits = limits(entry.getValue());
                case "admin" -> admin = admin(entry.getValue());
                default -> {
                    if (!entry.getKey().startsWith(EXTENSION_PREFIX)) {
                        reader.problem(entry.getKey(), ConfigReader.unknownKey(TOP_KEYS));
                    }
                }
            }
        }
        if (!top.entries().containsKey("routes")) {
            reader.required("routes");
        }
        return reader.validate(new JunctionConfig(routes, client, limits, admin), check);
    }

    /** Reads the admin endpoint; a section that does not say {@code enabled: false} turns it on. */
    private AdminConfig admin(Node node) {
        Mapping mapping = mapping(node, "admin", "a mapping with path and token");
        if (mapping == null) {
            return AdminConfig.DISABLED;
        }
        boolean enabled = true;
        String path = AdminConfig.DISABLED.path();
        String token = null;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child("admin", entry.getKey());
            switch (entry.getKey()) {
                case "enabled" -> {
                    Boolean read = bool(entry.getValue(), keyPath);
                    enabled = read == null || read;
                }
                case "path" -> path = orElse(text(entry.getValue(), keyPath, "a path such as /_junction"), path);
                case "token" -> token = text(entry.getValue(), keyPath, "a secret token");
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ADMIN_KEYS));
            }
        }
        return new AdminConfig(enabled, path, token);
    }

    private ClientConfig client(Node node) {
        ClientConfig.Builder client = ClientConfig.builder();
        Mapping mapping = mapping(node, "client", "a mapping with maxConnectionsPerBackend and idleTimeout");
        if (mapping != null) {
            for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
                String keyPath = YamlTree.child("client", entry.getKey());
                switch (entry.getKey()) {
                    case "maxConnectionsPerBackend" ->
                            apply(integer(entry.getValue(), keyPath), client::maxConnectionsPerBackend);
                    case "idleTimeout" -> apply(duration(entry.getValue(), keyPath), client::idleTimeout);
                    default -> reader.problem(keyPath, ConfigReader.unknownKey(CLIENT_KEYS));
                }
            }
        }
        return client.build();
    }

    private LimitsConfig limits(Node node) {
        Mapping mapping = mapping(node, "limits", "a mapping with maxRequestHeaderBytes");
        Integer maxRequestHeaderBytes = null;
        if (mapping != null) {
            for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
                String keyPath = YamlTree.child("limits", entry.getKey());
                if (entry.getKey().equals("maxRequestHeaderBytes")) {
                    maxRequestHeaderBytes = integer(entry.getValue(), keyPath);
                } else {
                    reader.problem(keyPath, ConfigReader.unknownKey(LIMITS_KEYS));
                }
            }
        }
        return maxRequestHeaderBytes == null ? LimitsConfig.DEFAULT : new LimitsConfig(maxRequestHeaderBytes);
    }

    private @Nullable TimeoutConfig timeouts(Node node, String path) {
        Mapping mapping = mapping(node, path, "a mapping with connect, response, idle and total");
        if (mapping == null) {
            return null;
        }
        TimeoutConfig.Builder timeouts = TimeoutConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Duration value = duration(entry.getValue(), keyPath);
            switch (entry.getKey()) {
                case "connect" -> apply(value, timeouts::connect);
                case "response" -> apply(value, timeouts::response);
                case "idle" -> apply(value, timeouts::idle);
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
    private @Nullable HealthCheckConfig healthCheck(Node node, String path, HealthCheckConfig base, boolean backend) {
        if (backend && node instanceof Scalar scalar && "false".equals(scalar.text())) {
            return HealthCheckConfig.NONE;
        }
        Mapping mapping = mapping(node, path, backend ? "a mapping of what differs from the route's check, or false"
                : "a mapping with path, interval, timeout, ...");
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
                case "path" -> apply(text(value, keyPath, "a path such as /health"), check::path);
                case "method" -> apply(text(value, keyPath, "a method such as GET"), check::method);
                case "port" -> apply(integer(value, keyPath), check::port);
                case "interval" -> apply(duration(value, keyPath), check::interval);
                case "jitter" -> apply(duration(value, keyPath), check::jitter);
                case "timeout" -> apply(duration(value, keyPath), check::timeout);
                case "expectedStatuses" -> apply(text(value, keyPath, "statuses such as 200-399"),
                        check::expectedStatuses);
                case "expectedBody" -> apply(text(value, keyPath, "text, or regex: and an expression"),
                        check::expectedBody);
                case "startHealthy" -> apply(bool(value, keyPath), check::startHealthy);
                case "headers" -> {
                    Map<String, String> headers = strings(value, keyPath, "header value");
                    if (headers != null) {
                        headers.forEach(check::header);
                    }
                }
                case "healthyThreshold" -> apply(integer(value, keyPath), check::healthyThreshold);
                case "unhealthyThreshold" -> apply(integer(value, keyPath), check::unhealthyThreshold);
                case "check" -> named = text(value, keyPath, "the name of a check, such as tcp");
                case "class" -> className = text(value, keyPath,
                        "the class name of a dev.junction.core.spi.HealthCheck");
                case "options" -> {
                    Map<String, String> read = strings(value, keyPath, "option value");
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

    private @Nullable BreakerConfig breaker(Node node, String path) {
        Mapping mapping = mapping(node, path, "a mapping with consecutiveFailures, delay, ...");
        if (mapping == null) {
            return null;
        }
        BreakerConfig.Builder breaker = BreakerConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "failureStatuses" -> apply(text(value, keyPath, "statuses such as 502-504"),
                        breaker::failureStatuses);
                case "consecutiveFailures" -> apply(integer(value, keyPath), breaker::consecutiveFailures);
                case "failureRatePercent" -> apply(integer(value, keyPath), breaker::failureRatePercent);
                case "minimumCalls" -> apply(integer(value, keyPath), breaker::minimumCalls);
                case "window" -> apply(duration(value, keyPath), breaker::window);
                case "delay" -> apply(duration(value, keyPath), breaker::delay);
                case "halfOpenTrials" -> apply(integer(value, keyPath), breaker::halfOpenTrials);
                case "successesToClose" -> apply(integer(value, keyPath), breaker::successesToClose);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(BREAKER_KEYS));
            }
        }
        return breaker.build();
    }

    private @Nullable RetryConfig retries(Node node, String path) {
        Mapping mapping = mapping(node, path, "a mapping with maxAttempts, retryOn, ...");
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
                case "maxAttempts" -> apply(integer(value, keyPath), retries::maxAttempts);
                case "backoffBase" -> base = orElse(duration(value, keyPath), base);
                case "backoffMax" -> max = orElse(duration(value, keyPath), max);
                case "retryOn" -> {
                    List<String> names = texts(value, keyPath, ConfigReader.RETRY_ON);
                    if (names != null) {
                        retries.retryOn(reader.retryOn(keyPath, names));
                    }
                }
                case "retryStatuses" -> apply(text(value, keyPath, "statuses such as 503"), retries::retryStatuses);
                case "bufferBytes" -> apply(integer(value, keyPath), retries::bufferBytes);
                case "budgetPercent" -> percent = orElse(integer(value, keyPath), percent);
                case "budgetMinPerSecond" -> perSecond = orElse(integer(value, keyPath), perSecond);
                case "deadline" -> apply(duration(value, keyPath), retries::deadline);
                case "attemptsHeader" -> apply(bool(value, keyPath), retries::attemptsHeader);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(RETRY_KEYS));
            }
        }
        return retries.backoff(base, max).budget(percent, perSecond).build();
    }

    private static <T> T orElse(@Nullable T read, T otherwise) {
        return read != null ? read : otherwise;
    }

    private @Nullable AffinityConfig affinity(Node node, String path) {
        Mapping mapping = mapping(node, path, "a mapping with mode and its settings");
        if (mapping == null) {
            return null;
        }
        Node modeNode = mapping.entries().get("mode");
        String modePath = YamlTree.child(path, "mode");
        AffinityConfig.Mode mode = null;
        if (modeNode == null) {
            reader.required(modePath);
        } else {
            String text = text(modeNode, modePath, AFFINITY_MODES);
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
                case "header" -> apply(text(value, keyPath, "a header name"), affinity::header);
                case "appCookie" -> apply(text(value, keyPath, "a cookie name"), affinity::appCookie);
                case "trustedProxies" -> apply(texts(value, keyPath, "addresses or CIDR ranges"),
                        affinity::trustedProxies);
                case "boundedLoadPercent" -> apply(integer(value, keyPath), affinity::boundedLoadPercent);
                case "ttl" -> apply(duration(value, keyPath), affinity::ttl);
                case "maxSessions" -> apply(integer(value, keyPath), affinity::maxSessions);
                case "secret" -> apply(text(value, keyPath, "a secret text"), affinity::secret);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(AFFINITY_KEYS));
            }
        }
        return affinity.build();
    }

    private static final String AFFINITY_MODES = "cookie, header, ip or app-cookie";

    private void affinityCookie(Node node, String path, AffinityConfig.Builder affinity) {
        Mapping mapping = mapping(node, path, "a mapping with name, path, maxAge, ...");
        if (mapping == null) {
            return;
        }
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "name" -> apply(text(value, keyPath, "a cookie name"), affinity::cookieName);
                case "path" -> apply(text(value, keyPath, "a path such as /"), affinity::cookiePath);
                case "maxAge" -> apply(duration(value, keyPath), affinity::cookieMaxAge);
                case "httpOnly" -> apply(bool(value, keyPath), affinity::cookieHttpOnly);
                case "secure" -> apply(bool(value, keyPath), affinity::cookieSecure);
                case "sameSite" -> apply(text(value, keyPath, "Strict, Lax or None"), affinity::cookieSameSite);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(AFFINITY_COOKIE_KEYS));
            }
        }
    }

    /** Reads a list of texts: a YAML list, or one comma-separated text. */
    private @Nullable List<String> texts(Node node, String path, String expected) {
        List<String> texts = new ArrayList<>();
        if (node instanceof Sequence sequence) {
            for (int i = 0; i < sequence.items().size(); i++) {
                String text = text(sequence.items().get(i), path + "[" + i + "]", expected);
                if (text != null) {
                    texts.add(text.trim());
                }
            }
            return texts;
        }
        String text = text(node, path, "a list of " + expected);
        if (text == null) {
            return null;
        }
        for (String part : text.split(",")) {
            texts.add(part.trim());
        }
        return texts;
    }

    private @Nullable FallbackConfig fallback(Node node, String path) {
        Mapping mapping = mapping(node, path, "a mapping with status, body and headers");
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
                case "status" -> status = orElse(integer(value, keyPath), status);
                case "body" -> body = text(value, keyPath, "the text of the answer");
                case "headers" -> headers = orElse(strings(value, keyPath, "header value"), headers);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(FALLBACK_KEYS));
            }
        }
        return new FallbackConfig(status, body, headers);
    }

    private @Nullable SlowStartConfig slowStart(Node node, String path) {
        Mapping mapping = mapping(node, path, "a mapping with window and minWeightPercent");
        if (mapping == null) {
            return null;
        }
        Duration window = SlowStartConfig.NONE.window();
        int minWeightPercent = SlowStartConfig.NONE.minWeightPercent();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            switch (entry.getKey()) {
                case "window" -> window = orElse(duration(entry.getValue(), keyPath), window);
                case "minWeightPercent" -> minWeightPercent = orElse(integer(entry.getValue(), keyPath),
                        minWeightPercent);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(SLOW_START_KEYS));
            }
        }
        if (!mapping.entries().containsKey("window")) {
            reader.required(YamlTree.child(path, "window"));
        }
        return new SlowStartConfig(window, minWeightPercent);
    }

    private @Nullable OutlierDetectionConfig outlierDetection(Node node, String path) {
        Mapping mapping = mapping(node, path, "a mapping with consecutive5xx, baseEjectionTime, ...");
        if (mapping == null) {
            return null;
        }
        OutlierDetectionConfig.Builder detection = OutlierDetectionConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "consecutive5xx" -> apply(integer(value, keyPath), detection::consecutive5xx);
                case "consecutiveConnectFailures" -> apply(integer(value, keyPath),
                        detection::consecutiveConnectFailures);
                case "baseEjectionTime" -> apply(duration(value, keyPath), detection::baseEjectionTime);
                case "maxEjectionTime" -> apply(duration(value, keyPath), detection::maxEjectionTime);
                case "maxEjectionPercent" -> apply(integer(value, keyPath), detection::maxEjectionPercent);
                case "latencyPercentOfMedian" -> apply(integer(value, keyPath), detection::latencyPercentOfMedian);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(OUTLIER_KEYS));
            }
        }
        return detection.build();
    }

    private void routes(Node node, List<RouteConfig> routes) {
        Sequence sequence = sequence(node, "routes", "a list of routes");
        if (sequence == null) {
            return;
        }
        for (int i = 0; i < sequence.items().size(); i++) {
            routes.add(route(sequence.items().get(i), "routes[" + i + "]", i));
        }
    }

    private RouteConfig route(Node node, String path, int index) {
        RouteConfig.Builder route = RouteConfig.builder();
        Mapping mapping = mapping(node, path, "a mapping with prefix and backends");
        if (mapping == null) {
            return route.prefix(placeholderPrefix(index)).build();
        }
        // Read first: the backends' own checks start from it, wherever it is written.
        Node checkNode = mapping.entries().get("healthCheck");
        HealthCheckConfig routeCheck = checkNode == null ? null
                : healthCheck(checkNode, YamlTree.child(path, "healthCheck"), HealthCheckConfig.NONE, false);
        HealthCheckConfig backendBase = routeCheck != null ? routeCheck : HealthCheckConfig.NONE;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            String keyPath = YamlTree.child(path, key);
            switch (key) {
                case "name" -> apply(text(value, keyPath, "a name"), route::name);
                case "prefix" -> apply(text(value, keyPath, "a path such as /api"), route::prefix);
                case "stripPrefix" -> apply(bool(value, keyPath), route::stripPrefix);
                case "rewrite" -> apply(text(value, keyPath, "a path such as /v2"), route::rewrite);
                case "strategy" -> apply(strategy(value, keyPath), route::strategy);
                case "whenAllDown" -> {
                    String text = text(value, keyPath, "fail or panic");
                    apply(text == null ? null : reader.whenAllDown(keyPath, text), route::whenAllDown);
                }
                case "timeouts" -> apply(timeouts(value, keyPath), route::timeouts);
                case "preserveHost" -> apply(bool(value, keyPath), route::preserveHost);
                case "forwarded" -> apply(bool(value, keyPath), route::forwarded);
                case "via" -> apply(bool(value, keyPath), route::via);
                case "healthCheck" -> apply(routeCheck, route::healthCheck);
                case "outlierDetection" -> apply(outlierDetection(value, keyPath), route::outlierDetection);
                case "panicThreshold" -> apply(integer(value, keyPath), route::panicThreshold);
                case "slowStart" -> apply(slowStart(value, keyPath), route::slowStart);
                case "circuitBreaker" -> apply(breaker(value, keyPath), route::circuitBreaker);
                case "retries" -> apply(retries(value, keyPath), route::retries);
                case "fallback" -> apply(fallback(value, keyPath), route::fallback);
                case "affinity" -> apply(affinity(value, keyPath), route::affinity);
                case "backends" -> backends(value, keyPath, route, backendBase);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ROUTE_KEYS));
            }
        }
        String prefixPath = YamlTree.child(path, "prefix");
        if (!mapping.entries().containsKey("prefix")) {
            reader.required(prefixPath);
        }
        if (!mapping.entries().containsKey("backends")) {
            reader.required(YamlTree.child(path, "backends"));
        }
        if (reader.covers(prefixPath)) {
            route.prefix(placeholderPrefix(index));
        }
        return route.build();
    }

    private void backends(Node node, String path, RouteConfig.Builder route, HealthCheckConfig routeCheck) {
        Sequence backends = sequence(node, path, "a list of backends");
        if (backends == null) {
            return;
        }
        for (int j = 0; j < backends.items().size(); j++) {
            route.backend(backend(backends.items().get(j), path + "[" + j + "]", j, routeCheck));
        }
    }

    private BackendConfig backend(Node node, String path, int index, HealthCheckConfig routeCheck) {
        BackendConfig.Builder backend = BackendConfig.builder();
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return backend.url(scalar.text()).build();
        }
        if (!(node instanceof Mapping mapping)) {
            if (!(node instanceof Unreadable)) {
                reader.problem(path, YamlTree.describe(node) + " (expected: a URL or a mapping with url)");
            }
            return backend.url(ConfigReader.placeholderUrl(index)).build();
        }
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            String keyPath = YamlTree.child(path, key);
            switch (key) {
                case "url" -> apply(text(value, keyPath, "a URL such as http://10.0.0.1:8080"), backend::url);
                case "id" -> apply(text(value, keyPath, "an id"), backend::id);
                case "weight" -> apply(integer(value, keyPath), backend::weight);
                case "backup" -> apply(bool(value, keyPath), backend::backup);
                case "disabled" -> apply(bool(value, keyPath), backend::disabled);
                case "maxConcurrent" -> apply(integer(value, keyPath), backend::maxConcurrent);
                case "metadata" -> apply(strings(value, keyPath, "label"), backend::metadata);
                case "healthCheck" -> apply(healthCheck(value, keyPath, routeCheck, true), backend::healthCheck);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(BACKEND_KEYS));
            }
        }
        String urlPath = YamlTree.child(path, "url");
        if (!mapping.entries().containsKey("url")) {
            reader.required(urlPath);
        }
        if (reader.covers(urlPath)) {
            backend.url(ConfigReader.placeholderUrl(index));
        }
        return backend.build();
    }

    private @Nullable StrategyConfig strategy(Node node, String path) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return StrategyConfig.of(scalar.text());
        }
        Mapping mapping = mapping(node, path, "a strategy name, or a mapping with name and options");
        if (mapping == null) {
            return null;
        }
        String name = null;
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            String value = text(entry.getValue(), keyPath,
                    entry.getKey().equals("name") ? "a strategy name" : "an option value");
            if (entry.getKey().equals("name")) {
                name = value;
            } else if (value != null) {
                options.put(entry.getKey(), value);
            }
        }
        if (name == null) {
            reader.required(YamlTree.child(path, "name"));
            return null;
        }
        return StrategyConfig.of(name, options);
    }

    /** Returns a mapping of names to texts, or null after recording why the node is not one. */
    private @Nullable Map<String, String> strings(Node node, String path, String expected) {
        Mapping mapping = mapping(node, path, "a mapping of " + expected + "s");
        if (mapping == null) {
            return null;
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String value = text(entry.getValue(), YamlTree.child(path, entry.getKey()), "a " + expected);
            if (value != null) {
                metadata.put(entry.getKey(), value);
            }
        }
        return metadata;
    }

    /** Returns a scalar's text, or null after recording why the node is not one. */
    private @Nullable String text(Node node, String path, String expected) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return scalar.text();
        }
        wrongType(node, path, expected);
        return null;
    }

    private @Nullable Integer integer(Node node, String path) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return reader.integer(path, scalar.text());
        }
        wrongType(node, path, "an integer");
        return null;
    }

    /** Returns a duration; an unknown key under timeouts is reported by the caller, not as a bad duration. */
    private @Nullable Duration duration(Node node, String path) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return reader.duration(path, scalar.text());
        }
        wrongType(node, path, "a duration such as 500ms, 5s or 2m");
        return null;
    }

    private @Nullable Boolean bool(Node node, String path) {
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return reader.bool(path, scalar.text());
        }
        wrongType(node, path, "true or false");
        return null;
    }

    private @Nullable Mapping mapping(Node node, String path, String expected) {
        if (node instanceof Mapping mapping) {
            return mapping;
        }
        wrongType(node, path, expected);
        return null;
    }

    private @Nullable Sequence sequence(Node node, String path, String expected) {
        if (node instanceof Sequence sequence) {
            return sequence;
        }
        wrongType(node, path, expected);
        return null;
    }

    private void wrongType(Node node, String path, String expected) {
        if (!(node instanceof Unreadable)) {
            reader.problem(path, YamlTree.describe(node) + " (expected: " + expected + ")");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Returns the prefix standing in for one that is missing or unreadable, so the route keeps its index and the rest
     * of it is still validated. The control character makes it unlike any real prefix, so it never duplicates one;
     * the problems it causes itself are covered by the one already reported.
     */
    private static String placeholderPrefix(int index) {
        return "/\u0000" + index;
    }

}
