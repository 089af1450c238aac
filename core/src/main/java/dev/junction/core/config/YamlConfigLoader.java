package dev.junction.core.config;

import static dev.junction.core.config.ConfigReader.apply;
import static dev.junction.core.config.YamlValues.orElse;

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
import java.util.function.Function;
import java.util.stream.Stream;

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

    private static final List<String> SECTIONS = List.of("routes", "client", "limits", "admin", "accessLog",
            "sharedLimits", "cluster");
    /** The top-level keys as problems list them; {@code x-<name>} stands for any key starting with {@code x-}. */
    private static final List<String> TOP_KEYS = Stream.concat(SECTIONS.stream(), Stream.of("x-<name>")).toList();
    private static final List<String> CLUSTER_KEYS = List.of("workers", "command", "basePort", "host", "environment",
            "directory", "routes", "startTimeout", "gracePeriod", "healthPath", "healthInterval", "healthTimeout",
            "healthFailures", "restartDelay", "maxRestartDelay", "crashLoopRestarts", "crashLoopWindow");
    private static final List<String> SHARED_LIMITS_KEYS = List.of("redis", "timeout", "instances",
            "whenUnreachable", "keyPrefix");
    private static final List<String> ACCESS_LOG_KEYS = List.of("enabled", "format");
    private static final List<String> ADMIN_KEYS = List.of("enabled", "path", "token", "allowedHosts", "metrics",
            "readyRoutes");
    private static final List<String> CLIENT_KEYS = List.of("maxConnectionsPerBackend", "idleTimeout", "transport",
            "zone", "dns");
    private static final List<String> DNS_KEYS = List.of("servers", "minTtl", "maxTtl", "timeout");
    private static final List<String> LIMITS_KEYS = List.of("maxRequestHeaderBytes", "maxRequestTargetBytes",
            "maxExchanges", "maxQueued");
    /** Top-level keys starting with this are ignored: a place to define anchors, as in Docker Compose files. */
    private static final String EXTENSION_PREFIX = "x-";
    private static final List<String> ROUTE_KEYS =
            List.of("name", "prefix", "stripPrefix", "rewrite", "strategy", "whenAllDown", "timeouts", "preserveHost",
                    "forwarded", "via", "trustedProxies", "healthCheck", "outlierDetection", "panicThreshold",
                    "slowStart", "circuitBreaker", "retries", "fallback", "affinity", "upgrades", "tls", "protocol",
                    "queue", "rateLimits", "adaptiveConcurrency", "match", "requestHeaders",
                    "responseHeaders", "release", "zoneAware", "scaling", "resolve", "backends");
    private static final List<String> BACKEND_KEYS =
            List.of("url", "id", "weight", "backup", "disabled", "maxConcurrent", "maxTunnels", "protocol",
                    "metadata", "healthCheck", "group", "resolve");
    private static final String MAPPING_WITH_ROUTES = "a mapping with the key 'routes'";

    private final ConfigReader reader = new ConfigReader();
    private final YamlValues yaml = new YamlValues(reader);
    private final YamlPolicies policies = new YamlPolicies(yaml);
    private final ConfigCheck check;
    /**
     * Whether the document has a {@code cluster} section: then a route may leave its backends out (the workers are
     * its backends), and the validator says which routes the cluster does not serve.
     */
    private boolean clustered;
    /** Where {@code ${NAME}} in values is looked up: the process's environment, or a test's. */
    private Function<String, @Nullable String> environment = System::getenv;

    private YamlConfigLoader(ConfigCheck check) {
        this.check = Objects.requireNonNull(check, "check");
    }

    /**
     * {@return the top-level keys of a configuration, in the form this loader reads them}: {@code routes},
     * {@code client}, {@code limits}, {@code admin}, {@code accessLog}, {@code sharedLimits}, {@code cluster}. (Keys
     * starting with {@code x-} are also accepted, and ignored.)
     */
    public static List<String> sections() {
        return SECTIONS;
    }

    /**
     * Reads and validates the configuration in a YAML file.
     *
     * @param file the YAML file, in UTF-8
     * @return the configuration
     * @throws ConfigException listing every problem, including a file that does not exist or cannot be read
     */
    public static JunctionConfig load(Path file) {
        return load(file, ConfigCheck.NONE);
    }

    /**
     * Reads and validates the configuration in a YAML file, and checks it with {@code check} too (the strategies and
     * checks it names: {@code Junction.Builder.configCheck()}).
     *
     * @param file the YAML file, in UTF-8
     * @param check the check of what only the Junction knows
     * @return the configuration
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
     * @param yamlText the YAML document
     * @return the configuration
     * @throws ConfigException listing every problem
     */
    public static JunctionConfig load(String yamlText) {
        return load(yamlText, ConfigCheck.NONE);
    }

    /**
     * As {@link #load(String)}, checked with {@code check} too.
     *
     * @param yamlText the YAML document
     * @param check the check of what only the Junction knows
     * @return the configuration
     * @throws ConfigException listing every problem, those {@code check} finds included
     */
    public static JunctionConfig load(String yamlText, ConfigCheck check) {
        Objects.requireNonNull(yamlText, "yamlText");
        return new YamlConfigLoader(check).read(factory -> factory.createParser(yamlText), "<string>");
    }

    /** As {@link #load(String)}, with {@code environment} in place of the process's for {@code ${NAME}}. */
    static JunctionConfig load(String yamlText, Function<String, @Nullable String> environment) {
        YamlConfigLoader loader = new YamlConfigLoader(ConfigCheck.NONE);
        loader.environment = environment;
        return loader.read(factory -> factory.createParser(yamlText), "<string>");
    }

    /**
     * Reads and validates the configuration in a YAML stream in UTF-8 (a byte-order mark is skipped). The stream is
     * read but not closed.
     *
     * @param in the stream to read
     * @param sourceName how problems name the source, such as a file name or URL
     * @return the configuration
     * @throws ConfigException listing every problem, including one reading the stream
     */
    public static JunctionConfig load(InputStream in, String sourceName) {
        return load(in, sourceName, ConfigCheck.NONE);
    }

    /**
     * As {@link #load(InputStream, String)}, checked with {@code check} too.
     *
     * @param in the stream to read, in UTF-8; read but not closed
     * @param sourceName how problems name the source, such as a file name or URL
     * @param check the check of what only the Junction knows
     * @return the configuration
     * @throws ConfigException listing every problem, including one reading the stream and those {@code check} finds
     */
    public static JunctionConfig load(InputStream in, String sourceName, ConfigCheck check) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        return new YamlConfigLoader(check).read(factory -> factory.createParser(in), sourceName);
    }

    /**
     * Reads and validates a configuration given as a tree of Java values rather than YAML text, such as the
     * {@code junction.*} properties of a Spring Boot application: every problem is found and reported as for the same
     * mistake in a YAML file, with the same path and message.
     *
     * <pre>{@code
     * JunctionConfig config = YamlConfigLoader.load(Map.of("routes", List.of(Map.of(
     *         "prefix", "/api",
     *         "health-check", Map.of("path", "/health"),
     *         "backends", List.of("http://10.0.0.1:8080")))), "application.yaml", ConfigCheck.NONE);
     * }</pre>
     *
     * <p>The tree is what a YAML document reads as: a {@link Map} is a mapping, a {@link List} a list, null a key
     * written without a value, and any other value a single value whose text is its {@code toString()} (so
     * {@code 3}, {@code true} and {@code Duration.ofSeconds(5)} read as {@code 3}, {@code true} and {@code PT5S}).
     * Keys Junction defines may be written as Spring Boot's relaxed binding allows, in kebab case or any case:
     * {@code health-check}, {@code healthcheck} and {@code HEALTH_CHECK} all read as {@code healthCheck}, and problems
     * name them so. The keys of mappings whose names the user chooses (header names, metadata, release groups,
     * strategy options) are taken as written. Values are taken as they are: {@code ${NAME}} is not looked up in the
     * environment, as whoever built the tree has resolved what it meant to.
     *
     * @param tree the top-level mapping, as a YAML file's: {@code routes}, {@code client}, {@code admin}, ...
     * @param sourceName how problems name the source, such as {@code application.yaml}
     * @param check what is checked beyond the model's own rules ({@code Junction.Builder.configCheck()}), or
     *     {@link ConfigCheck#NONE}
     * @return the configuration, validated
     * @throws ConfigException listing every problem
     */
    public static JunctionConfig load(Map<String, ?> tree, String sourceName, ConfigCheck check) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(sourceName, "sourceName");
        return new YamlConfigLoader(check).read(YamlTree.of(tree), sourceName);
    }

    /**
     * Reads and validates one backend, written as an entry of a route's {@code backends} is (a URL, or a mapping with
     * {@code url}, {@code weight}, ...; JSON is YAML), as the admin endpoint's pool API receives it. Problems are named
     * under {@code backend} ({@code backend.weight: must be > 0 (was 0)}).
     *
     * @param text the backend, in YAML or JSON
     * @param sourceName how problems with the syntax name the source
     * @param routeCheck the health check of the route it joins, which its own {@code healthCheck} starts from
     * @return the backend
     * @throws ConfigException listing every problem
     */
    public static BackendConfig loadBackend(String text, String sourceName, HealthCheckConfig routeCheck) {
        Objects.requireNonNull(text, "text");
        YamlConfigLoader loader = new YamlConfigLoader(ConfigCheck.NONE);
        Node root = YamlTree.read(factory -> factory.createParser(text), sourceName, loader.reader);
        if (root == null) {
            throw loader.reader.failure();
        }
        return loader.reader.validate(loader.backend(root, "backend", 0, routeCheck, null), "backend");
    }

    private JunctionConfig read(YamlTree.Source source, String sourceName) {
        Node root = YamlTree.read(source, sourceName, reader, environment);
        if (root == null) {
            throw reader.failure();
        }
        return read(root, sourceName);
    }

    private JunctionConfig read(Node root, String sourceName) {
        if (root instanceof Scalar scalar && (scalar.isNull() || scalar.text().isEmpty())) {
            reader.problem("", sourceName + " is empty (expected: " + MAPPING_WITH_ROUTES + ")");
            throw reader.failure();
        }
        if (!(root instanceof Mapping written)) {
            if (!(root instanceof Unreadable)) {
                reader.problem("", sourceName + " holds " + YamlTree.describe(root)
                        + " (expected: " + MAPPING_WITH_ROUTES + ")");
            }
            throw reader.failure();
        }
        Mapping top = yaml.fields(written, "", TOP_KEYS);
        List<RouteConfig> routes = new ArrayList<>();
        ClientConfig client = ClientConfig.DEFAULT;
        LimitsConfig limits = LimitsConfig.DEFAULT;
        AdminConfig admin = AdminConfig.DISABLED;
        AccessLogConfig accessLog = AccessLogConfig.DISABLED;
        SharedLimitsConfig sharedLimits = SharedLimitsConfig.NONE;
        ClusterConfig cluster = ClusterConfig.NONE;
        clustered = top.entries().containsKey("cluster");
        for (Map.Entry<String, Node> entry : top.entries().entrySet()) {
            switch (entry.getKey()) {
                case "routes" -> routes(entry.getValue(), routes);
                case "client" -> client = client(entry.getValue());
                case "limits" -> limits = limits(entry.getValue());
                case "admin" -> admin = admin(entry.getValue());
                case "accessLog" -> accessLog = accessLog(entry.getValue());
                case "sharedLimits" -> sharedLimits = sharedLimits(entry.getValue());
                case "cluster" -> cluster = cluster(entry.getValue());
                default -> {
                    if (!entry.getKey().startsWith(EXTENSION_PREFIX)) {
                        reader.problem(entry.getKey(), ConfigReader.unknownKey(TOP_KEYS));
                    }
                }
            }
        }
        if (!top.entries().containsKey("routes") && !cluster.enabled()) {
            reader.required("routes");
        }
        return reader.validate(new JunctionConfig(JunctionConfig.forCluster(routes, cluster), client, limits,
                admin, accessLog, sharedLimits, cluster), check);
    }

    /** Reads the worker processes; {@code workers} and {@code command} are required once the section is there. */
    private ClusterConfig cluster(Node node) {
        Mapping mapping = yaml.mapping(node, "cluster", "a mapping with workers and command", CLUSTER_KEYS);
        if (mapping == null) {
            return ClusterConfig.NONE;
        }
        ClusterConfig.Builder cluster = ClusterConfig.builder();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child("cluster", entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "workers" -> {
                    if (value instanceof Scalar scalar && scalar.text().equals("auto")) {
                        cluster.workers(Runtime.getRuntime().availableProcessors());
                    } else {
                        apply(yaml.integer(value, keyPath), cluster::workers);
                    }
                }
                case "command" -> {
                    List<String> command = command(value, keyPath);
                    if (command != null) {
                        cluster.command(command);
                    }
                }
                case "basePort" -> apply(yaml.integer(value, keyPath), cluster::basePort);
                case "host" -> apply(yaml.text(value, keyPath, "an address such as 127.0.0.1"), cluster::host);
                case "environment" -> apply(yaml.strings(value, keyPath, "a mapping of variable names to values"),
                        cluster::environment);
                case "directory" -> cluster.directory(yaml.text(value, keyPath, "a directory"));
                case "routes" -> apply(yaml.texts(value, keyPath, "route names"), cluster::routes);
                case "startTimeout" -> apply(yaml.duration(value, keyPath), cluster::startTimeout);
                case "gracePeriod" -> apply(yaml.duration(value, keyPath), cluster::gracePeriod);
                case "healthPath" -> apply(yaml.text(value, keyPath, "a path such as /health"), cluster::healthPath);
                case "healthInterval" -> apply(yaml.duration(value, keyPath), cluster::healthInterval);
                case "healthTimeout" -> apply(yaml.duration(value, keyPath), cluster::healthTimeout);
                case "healthFailures" -> apply(yaml.integer(value, keyPath), cluster::healthFailures);
                case "restartDelay" -> apply(yaml.duration(value, keyPath), cluster::restartDelay);
                case "maxRestartDelay" -> apply(yaml.duration(value, keyPath), cluster::maxRestartDelay);
                case "crashLoopRestarts" -> apply(yaml.integer(value, keyPath), cluster::crashLoopRestarts);
                case "crashLoopWindow" -> apply(yaml.duration(value, keyPath), cluster::crashLoopWindow);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(CLUSTER_KEYS));
            }
        }
        for (String required : List.of("workers", "command")) {
            if (!mapping.entries().containsKey(required)) {
                reader.required("cluster." + required);
            }
        }
        return cluster.build();
    }

    /** Reads a command: a list of arguments, or one line split as a shell splits it (without expanding). */
    private @Nullable List<String> command(Node node, String path) {
        if (node instanceof Sequence) {
            return yaml.texts(node, path, "arguments");
        }
        String line = yaml.text(node, path, "a command line, or a list of arguments");
        if (line == null) {
            return null;
        }
        try {
            return ClusterConfig.split(line);
        } catch (IllegalArgumentException e) {
            reader.problem(path, ConfigReader.quote(line) + ": " + e.getMessage());
            return null;
        }
    }

    /** Reads where shared rate limits are kept; {@code redis} is required once the section is there. */
    private SharedLimitsConfig sharedLimits(Node node) {
        Mapping mapping = yaml.mapping(node, "sharedLimits", "a mapping with redis", SHARED_LIMITS_KEYS);
        SharedLimitsConfig none = SharedLimitsConfig.NONE;
        if (mapping == null) {
            return none;
        }
        String redis = null;
        Duration timeout = none.timeout();
        int instances = none.instances();
        SharedLimitsConfig.WhenUnreachable whenUnreachable = none.whenUnreachable();
        String keyPrefix = none.keyPrefix();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child("sharedLimits", entry.getKey());
            Node value = entry.getValue();
            switch (entry.getKey()) {
                case "redis" -> redis = yaml.text(value, keyPath, "a redis:// URI");
                case "timeout" -> timeout = orElse(yaml.duration(value, keyPath), timeout);
                case "instances" -> instances = orElse(yaml.integer(value, keyPath), instances);
                case "whenUnreachable" -> {
                    String text = yaml.text(value, keyPath, "local, open or closed");
                    whenUnreachable = orElse(text == null ? null : reader.whenUnreachable(keyPath, text),
                            whenUnreachable);
                }
                case "keyPrefix" -> keyPrefix = orElse(yaml.text(value, keyPath, "a key prefix"), keyPrefix);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(SHARED_LIMITS_KEYS));
            }
        }
        if (!mapping.entries().containsKey("redis")) {
            reader.required("sharedLimits.redis");
        }
        return new SharedLimitsConfig(redis, timeout, instances, whenUnreachable, keyPrefix);
    }

    /** Reads the access log; a section that does not say {@code enabled: false} turns it on. */
    private AccessLogConfig accessLog(Node node) {
        Mapping mapping = yaml.mapping(node, "accessLog", "a mapping with format", ACCESS_LOG_KEYS);
        if (mapping == null) {
            return AccessLogConfig.DISABLED;
        }
        boolean enabled = true;
        AccessLogConfig.Format format = AccessLogConfig.Format.COMBINED;
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child("accessLog", entry.getKey());
            switch (entry.getKey()) {
                case "enabled" -> enabled = orElse(yaml.bool(entry.getValue(), keyPath), enabled);
                case "format" -> {
                    String text = yaml.text(entry.getValue(), keyPath, "combined or json");
                    format = orElse(text == null ? null : reader.accessLogFormat(keyPath, text), format);
                }
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ACCESS_LOG_KEYS));
            }
        }
        return new AccessLogConfig(enabled, format);
    }

    /** Reads the admin endpoint; a section that does not say {@code enabled: false} turns it on. */
    private AdminConfig admin(Node node) {
        Mapping mapping = yaml.mapping(node, "admin", "a mapping with path and token", ADMIN_KEYS);
        if (mapping == null) {
            return AdminConfig.DISABLED;
        }
        boolean enabled = true;
        String path = AdminConfig.DISABLED.path();
        String token = null;
        List<String> hosts = List.of();
        boolean metrics = true;
        List<String> readyRoutes = List.of();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child("admin", entry.getKey());
            switch (entry.getKey()) {
                case "enabled" -> {
                    Boolean read = yaml.bool(entry.getValue(), keyPath);
                    enabled = read == null || read;
                }
                case "path" -> path = orElse(yaml.text(entry.getValue(), keyPath, "a path such as /_junction"), path);
                case "token" -> token = yaml.text(entry.getValue(), keyPath, "a secret token");
                case "allowedHosts" -> hosts = orElse(yaml.texts(entry.getValue(), keyPath, "host names"), hosts);
                case "metrics" -> metrics = orElse(yaml.bool(entry.getValue(), keyPath), metrics);
                case "readyRoutes" -> readyRoutes = orElse(yaml.texts(entry.getValue(), keyPath, "route names"),
                        readyRoutes);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ADMIN_KEYS));
            }
        }
        return new AdminConfig(enabled, path, token, hosts, metrics, readyRoutes);
    }

    private ClientConfig client(Node node) {
        ClientConfig.Builder client = ClientConfig.builder();
        Mapping mapping = yaml.mapping(node, "client",
                "a mapping with maxConnectionsPerBackend, idleTimeout and transport", CLIENT_KEYS);
        if (mapping != null) {
            for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
                String keyPath = YamlTree.child("client", entry.getKey());
                switch (entry.getKey()) {
                    case "maxConnectionsPerBackend" ->
                            apply(yaml.integer(entry.getValue(), keyPath), client::maxConnectionsPerBackend);
                    case "idleTimeout" -> apply(yaml.duration(entry.getValue(), keyPath), client::idleTimeout);
                    case "transport" -> client.transport(yaml.text(entry.getValue(), keyPath, "a transport name"));
                    case "zone" -> client.zone(yaml.text(entry.getValue(), keyPath, "a zone name"));
                    case "dns" -> apply(dns(entry.getValue(), keyPath), client::dns);
                    default -> reader.problem(keyPath, ConfigReader.unknownKey(CLIENT_KEYS));
                }
            }
        }
        return client.build();
    }

    private @Nullable DnsConfig dns(Node node, String path) {
        Mapping mapping = yaml.mapping(node, path, "a mapping with servers, minTtl, maxTtl and timeout", DNS_KEYS);
        if (mapping == null) {
            return null;
        }
        DnsConfig dns = DnsConfig.DEFAULT;
        List<String> servers = dns.servers();
        Duration minTtl = dns.minTtl();
        Duration maxTtl = dns.maxTtl();
        Duration timeout = dns.timeout();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            switch (entry.getKey()) {
                case "servers" -> servers = orElse(yaml.texts(entry.getValue(), keyPath,
                        "DNS servers as host or host:port"), servers);
                case "minTtl" -> minTtl = orElse(yaml.duration(entry.getValue(), keyPath), minTtl);
                case "maxTtl" -> maxTtl = orElse(yaml.duration(entry.getValue(), keyPath), maxTtl);
                case "timeout" -> timeout = orElse(yaml.duration(entry.getValue(), keyPath), timeout);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(DNS_KEYS));
            }
        }
        return new DnsConfig(servers, minTtl, maxTtl, timeout);
    }

    private static <T> T orElse(@Nullable T value, T otherwise) {
        return value != null ? value : otherwise;
    }

    private BackendConfig.@Nullable Resolve resolve(Node node, String path) {
        String text = yaml.text(node, path, "dns or none");
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "dns" -> BackendConfig.Resolve.DNS;
            case "none" -> BackendConfig.Resolve.NONE;
            default -> {
                reader.problem(path, "'" + text + "' (expected: dns or none)");
                yield null;
            }
        };
    }

    private LimitsConfig limits(Node node) {
        Mapping mapping = yaml.mapping(node, "limits", "a mapping with maxRequestHeaderBytes, maxExchanges, ...",
                LIMITS_KEYS);
        LimitsConfig limits = LimitsConfig.DEFAULT;
        if (mapping != null) {
            for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
                String keyPath = YamlTree.child("limits", entry.getKey());
                Integer bytes = LIMITS_KEYS.contains(entry.getKey()) ? yaml.integer(entry.getValue(), keyPath) : null;
                switch (entry.getKey()) {
                    case "maxRequestHeaderBytes" -> limits = bytes == null ? limits
                            : limits.withMaxRequestHeaderBytes(bytes);
                    case "maxRequestTargetBytes" -> limits = bytes == null ? limits
                            : limits.withMaxRequestTargetBytes(bytes);
                    case "maxExchanges" -> limits = bytes == null ? limits : limits.withMaxExchanges(bytes);
                    case "maxQueued" -> limits = bytes == null ? limits : limits.withMaxQueued(bytes);
                    default -> reader.problem(keyPath, ConfigReader.unknownKey(LIMITS_KEYS));
                }
            }
        }
        return limits;
    }

    private void routes(Node node, List<RouteConfig> routes) {
        Sequence sequence = yaml.sequence(node, "routes", "a list of routes");
        if (sequence == null) {
            return;
        }
        for (int i = 0; i < sequence.items().size(); i++) {
            routes.add(route(sequence.items().get(i), "routes[" + i + "]", i));
        }
    }

    private RouteConfig route(Node node, String path, int index) {
        RouteConfig.Builder route = RouteConfig.builder();
        Mapping mapping = yaml.mapping(node, path, "a mapping with prefix and backends", ROUTE_KEYS);
        if (mapping == null) {
            return route.prefix(placeholderPrefix(index)).build();
        }
        // Read first: the backends' own checks start from it, wherever it is written.
        Node checkNode = mapping.entries().get("healthCheck");
        HealthCheckConfig routeCheck = checkNode == null ? null
                : policies.healthCheck(checkNode, YamlTree.child(path, "healthCheck"), HealthCheckConfig.NONE, false);
        HealthCheckConfig backendBase = routeCheck != null ? routeCheck : HealthCheckConfig.NONE;
        // Also read first: the protocol of every backend that names none.
        Node protocolNode = mapping.entries().get("protocol");
        BackendProtocol routeProtocol = protocolNode == null ? null
                : protocol(protocolNode, YamlTree.child(path, "protocol"));
        // And how the backends whose host is a name are resolved, unless they say.
        Node resolveNode = mapping.entries().get("resolve");
        BackendConfig.@Nullable Resolve routeResolve = resolveNode == null ? null
                : resolve(resolveNode, YamlTree.child(path, "resolve"));
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            String keyPath = YamlTree.child(path, key);
            switch (key) {
                case "name" -> apply(yaml.text(value, keyPath, "a name"), route::name);
                case "prefix" -> apply(yaml.text(value, keyPath, "a path such as /api"), route::prefix);
                case "stripPrefix" -> apply(yaml.bool(value, keyPath), route::stripPrefix);
                case "rewrite" -> apply(yaml.text(value, keyPath, "a path such as /v2"), route::rewrite);
                case "strategy" -> apply(strategy(value, keyPath), route::strategy);
                case "whenAllDown" -> {
                    String text = yaml.text(value, keyPath, "fail or panic");
                    apply(text == null ? null : reader.whenAllDown(keyPath, text), route::whenAllDown);
                }
                case "timeouts" -> apply(policies.timeouts(value, keyPath), route::timeouts);
                case "preserveHost" -> apply(yaml.bool(value, keyPath), route::preserveHost);
                case "forwarded" -> apply(yaml.bool(value, keyPath), route::forwarded);
                case "via" -> apply(yaml.bool(value, keyPath), route::via);
                case "trustedProxies" -> apply(yaml.texts(value, keyPath, "addresses or CIDR ranges"),
                        route::trustedProxies);
                case "healthCheck" -> apply(routeCheck, route::healthCheck);
                case "outlierDetection" -> apply(policies.outlierDetection(value, keyPath), route::outlierDetection);
                case "panicThreshold" -> apply(yaml.integer(value, keyPath), route::panicThreshold);
                case "slowStart" -> apply(policies.slowStart(value, keyPath), route::slowStart);
                case "queue" -> apply(policies.queue(value, keyPath), route::queue);
                case "rateLimits" -> apply(policies.rateLimits(value, keyPath), route::rateLimits);
                case "adaptiveConcurrency" -> apply(policies.adaptiveConcurrency(value, keyPath),
                        route::adaptiveConcurrency);
                case "match" -> apply(policies.match(value, keyPath), route::match);
                case "release" -> apply(policies.release(value, keyPath), route::release);
                case "zoneAware" -> apply(policies.zoneAware(value, keyPath), route::zoneAware);
                case "scaling" -> apply(policies.scaling(value, keyPath), route::scaling);
                case "requestHeaders" -> apply(policies.headerRules(value, keyPath), route::requestHeaders);
                case "responseHeaders" -> apply(policies.headerRules(value, keyPath), route::responseHeaders);
                case "circuitBreaker" -> apply(policies.breaker(value, keyPath), route::circuitBreaker);
                case "retries" -> apply(policies.retries(value, keyPath), route::retries);
                case "fallback" -> apply(policies.fallback(value, keyPath), route::fallback);
                case "affinity" -> apply(policies.affinity(value, keyPath), route::affinity);
                case "upgrades" -> apply(yaml.texts(value, keyPath, "protocol names such as websocket"),
                        route::upgrades);
                case "tls" -> apply(policies.tls(value, keyPath), route::tls);
                case "protocol", "resolve" -> {
                    // Read above, given to the backends.
                }
                case "backends" -> backends(value, keyPath, route, backendBase, routeProtocol, routeResolve);
                default -> reader.problem(keyPath, ConfigReader.unknownKey(ROUTE_KEYS));
            }
        }
        String prefixPath = YamlTree.child(path, "prefix");
        if (!mapping.entries().containsKey("prefix")) {
            reader.required(prefixPath);
        }
        if (!mapping.entries().containsKey("backends") && !clustered) {
            reader.required(YamlTree.child(path, "backends"));
        }
        if (reader.covers(prefixPath)) {
            route.prefix(placeholderPrefix(index));
        }
        return route.build();
    }

    private @Nullable BackendProtocol protocol(Node node, String path) {
        String text = yaml.text(node, path, BackendProtocol.NAMES);
        return text == null ? null : reader.protocol(path, text);
    }

    private void backends(Node node, String path, RouteConfig.Builder route, HealthCheckConfig routeCheck,
            @Nullable BackendProtocol routeProtocol, BackendConfig.@Nullable Resolve routeResolve) {
        Sequence backends = yaml.sequence(node, path, "a list of backends");
        if (backends == null) {
            return;
        }
        for (int j = 0; j < backends.items().size(); j++) {
            BackendConfig backend = backend(backends.items().get(j), path + "[" + j + "]", j, routeCheck,
                    routeProtocol);
            // Its own, found as backend() finds it: with relaxed keys, "resolve" may be written in another case.
            boolean ownResolve = backends.items().get(j) instanceof Mapping own
                    && (own.entries().containsKey("resolve") || own.relaxedKeys()
                            && own.entries().keySet().stream().anyMatch(key -> key.equalsIgnoreCase("resolve")));
            if (routeResolve == BackendConfig.Resolve.DNS && !ownResolve && !backend.srv()
                    && Validator.namesHost(backend.url())) {
                backend = backend.toBuilder().resolve(BackendConfig.Resolve.DNS).build();
            }
            route.backend(backend);
        }
    }

    private BackendConfig backend(Node node, String path, int index, HealthCheckConfig routeCheck,
            @Nullable BackendProtocol routeProtocol) {
        BackendConfig.Builder backend = BackendConfig.builder();
        if (routeProtocol != null) {
            backend.protocol(routeProtocol);
        }
        if (node instanceof Scalar scalar && !scalar.isNull()) {
            return backend.url(scalar.text()).build();
        }
        if (!(node instanceof Mapping written)) {
            if (!(node instanceof Unreadable)) {
                reader.problem(path, YamlTree.describe(node) + " (expected: a URL or a mapping with url)");
            }
            return backend.url(ConfigReader.placeholderUrl(index)).build();
        }
        Mapping mapping = yaml.fields(written, path, BACKEND_KEYS);
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String key = entry.getKey();
            Node value = entry.getValue();
            String keyPath = YamlTree.child(path, key);
            switch (key) {
                case "url" -> apply(yaml.text(value, keyPath, "a URL such as http://10.0.0.1:8080"), backend::url);
                case "id" -> apply(yaml.text(value, keyPath, "an id"), backend::id);
                case "weight" -> apply(yaml.integer(value, keyPath), backend::weight);
                case "backup" -> apply(yaml.bool(value, keyPath), backend::backup);
                case "disabled" -> apply(yaml.bool(value, keyPath), backend::disabled);
                case "maxConcurrent" -> apply(yaml.integer(value, keyPath), backend::maxConcurrent);
                case "maxTunnels" -> apply(yaml.integer(value, keyPath), backend::maxTunnels);
                case "protocol" -> apply(protocol(value, keyPath), backend::protocol);
                case "metadata" -> apply(yaml.strings(value, keyPath, "label"), backend::metadata);
                case "group" -> apply(yaml.text(value, keyPath, "a group name"), backend::group);
                case "resolve" -> apply(resolve(value, keyPath), backend::resolve);
                case "healthCheck" -> apply(policies.healthCheck(value, keyPath, routeCheck, true),
                        backend::healthCheck);
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
        Mapping mapping = yaml.mapping(node, path, "a strategy name, or a mapping with name and options");
        if (mapping == null) {
            return null;
        }
        String name = null;
        Map<String, String> options = new LinkedHashMap<>();
        for (Map.Entry<String, Node> entry : mapping.entries().entrySet()) {
            String keyPath = YamlTree.child(path, entry.getKey());
            String value = yaml.text(entry.getValue(), keyPath,
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
