package dev.junction.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The one place the rules of the configuration live. The builder, the YAML loader and the flat-key loader all end
 * here, so the same mistake gets the same message whichever door it came through, and every problem is reported at
 * once, each with its path. The rules of the top level, routes and backends are here; those of a route's policies
 * (timeouts, health checks, breaker, retries, affinity, fallback, slow start, outlier detection) are in the
 * package-private {@code PolicyRules}, which this calls in document order.
 *
 * <p>Stateless and thread-safe.
 */
public final class Validator {

    private Validator() {
    }

    /**
     * Throws if the configuration or any of the problems already found while reading it is wrong.
     *
     * @param config the configuration to check
     * @param earlier problems a loader found before the model existed (unknown keys, values of the wrong type)
     * @throws ConfigException listing {@code earlier} and then every problem of {@code config}
     */
    public static void check(JunctionConfig config, List<ConfigProblem> earlier) {
        List<ConfigProblem> problems = new ArrayList<>(earlier);
        problems.addAll(validate(config));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * {@return every problem of a configuration, in document order; empty if it is valid}
     *
     * @param config the configuration to check
     */
    public static List<ConfigProblem> validate(JunctionConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<RouteConfig> routes = config.routes();
        if (routes.isEmpty()) {
            problems.add(new ConfigProblem("routes", "at least one route is required"));
        }
        validateClient(config.client(), problems);
        validateLimits(config.limits(), problems);
        validateAdmin(config.admin(), routes, problems);
        RateLimitRules.validateStore(config.sharedLimits(), problems);
        validateCluster(config.cluster(), routes, problems);
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            String path = "routes[" + i + "]";
            validateRoute(route, config.client().zone(), config.cluster().serves(route), path, problems);
            RateLimitRules.validateLimits(route.rateLimits(), config.sharedLimits(), path + ".rateLimits", problems);
            Integer sameName = names.putIfAbsent(route.name(), i);
            if (sameName != null) {
                problems.add(new ConfigProblem(path + ".name",
                        "duplicate name '" + route.name() + "' (also routes[" + sameName + "])"));
            }
        }
        MatchRules.validateReachable(routes, problems);
        return problems;
    }

    /**
     * {@return every problem of one backend, with paths under {@code path}; empty if it is valid}
     *
     * @param backend the backend to check
     * @param path where the backend is in the configuration, such as {@code routes[0].backends[1]}
     */
    public static List<ConfigProblem> validate(BackendConfig backend, String path) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (backend.id().isBlank()) {
            problems.add(new ConfigProblem(path + ".id", "must not be blank"));
        } else if (!isPrintable(backend.id())) {
            problems.add(new ConfigProblem(path + ".id",
                    "'" + backend.id() + "' (expected: no spaces or control characters)"));
        }
        if (backend.srv()) {
            validateSrv(backend, path, problems);
        } else {
            validateUrl(backend.url(), path + ".url", problems);
            if (backend.resolve() == BackendConfig.Resolve.DNS && problems.isEmpty()
                    && !namesHost(backend.url())) {
                problems.add(new ConfigProblem(path + ".resolve", "dns needs a host name to look up, and '"
                        + backend.url() + "' names an address"));
            }
        }
        if (backend.weight() <= 0) {
            problems.add(new ConfigProblem(path + ".weight", "must be > 0 (was " + backend.weight() + ")"));
        } else if (backend.weight() > BackendConfig.MAX_WEIGHT) {
            problems.add(new ConfigProblem(path + ".weight",
                    "must be <= " + BackendConfig.MAX_WEIGHT + " (was " + backend.weight() + ")"));
        }
        if (backend.maxConcurrent() < 0) {
            problems.add(new ConfigProblem(path + ".maxConcurrent",
                    "must be >= 0, 0 for no limit (was " + backend.maxConcurrent() + ")"));
        }
        if (backend.maxTunnels() < 0) {
            problems.add(new ConfigProblem(path + ".maxTunnels",
                    "must be >= 0, 0 for no limit of its own (was " + backend.maxTunnels() + ")"));
        }
        String scheme = backend.url().strip().toLowerCase(Locale.ROOT);
        if (backend.protocol() == BackendProtocol.H2 && scheme.startsWith("http://")) {
            problems.add(new ConfigProblem(path + ".protocol",
                    "h2 is HTTP/2 over TLS and needs an https:// URL (for HTTP/2 in clear text: h2c)"));
        } else if (backend.protocol() == BackendProtocol.H2C && scheme.startsWith("https://")) {
            problems.add(new ConfigProblem(path + ".protocol",
                    "h2c is HTTP/2 in clear text and needs an http:// URL (for HTTP/2 over TLS: h2)"));
        }
        for (String key : backend.metadata().keySet()) {
            if (key.isBlank()) {
                problems.add(new ConfigProblem(path + ".metadata", "keys must not be blank"));
            }
        }
        if (backend.healthCheck() != null) {
            PolicyRules.validateHealthCheck(backend.healthCheck(), path + ".healthCheck", problems);
        }
        return problems;
    }

    /**
     * {@return a prefix as routes match it: trimmed, trailing slashes removed ({@code /api/} is {@code /api}), except
     * for the root {@code /}}
     *
     * @param prefix a route's path prefix as configured
     */
    public static String normalisePrefix(String prefix) {
        String result = prefix.trim();
        while (result.length() > 1 && result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    /**
     * {@return a host as routes match it: trimmed, lower case, without a trailing dot ({@code Example.COM.} is
     * {@code example.com})}
     *
     * @param host a host name as configured or as a request names it
     */
    public static String normaliseHost(String host) {
        String result = host.trim().toLowerCase(Locale.ROOT);
        return result.length() > 1 && result.endsWith(".") ? result.substring(0, result.length() - 1) : result;
    }

    private static void validateClient(ClientConfig client, List<ConfigProblem> problems) {
        int max = client.maxConnectionsPerBackend();
        if (max <= 0) {
            problems.add(new ConfigProblem("client.maxConnectionsPerBackend", "must be > 0 (was " + max + ")"));
        } else if (max > ClientConfig.MAX_CONNECTIONS) {
            problems.add(new ConfigProblem("client.maxConnectionsPerBackend",
                    "must be <= " + ClientConfig.MAX_CONNECTIONS + " (was " + max + ")"));
        }
        PolicyRules.positive(client.idleTimeout(), "client.idleTimeout", problems);
        String transport = client.transport();
        if (transport != null && !transport.matches("[a-z0-9][a-z0-9-]*")) {
            problems.add(new ConfigProblem("client.transport",
                    "'" + transport + "' is not a transport name (expected: lower-case letters, digits and '-')"));
        }
        String zone = client.zone();
        if (zone != null && (zone.isBlank() || !isPrintable(zone))) {
            problems.add(new ConfigProblem("client.zone", "'" + zone + "' (expected: a zone name without spaces,"
                    + " as the backends' metadata.zone names them)"));
        }
        validateDns(client.dns(), problems);
    }

    private static void validateDns(DnsConfig dns, List<ConfigProblem> problems) {
        for (int i = 0; i < dns.servers().size(); i++) {
            String server = dns.servers().get(i);
            URI parsed = null;
            try {
                parsed = new URI("dns://" + server.trim());
            } catch (URISyntaxException e) {
                // Reported below.
            }
            boolean valid = parsed != null && parsed.getHost() != null && parsed.getRawUserInfo() == null
                    && (parsed.getRawPath() == null || parsed.getRawPath().isEmpty()) && parsed.getPort() != 0
                    && parsed.getPort() <= 65535;
            if (!valid) {
                problems.add(new ConfigProblem("client.dns.servers[" + i + "]", "'" + server + "' (expected: a host"
                        + " or host:port, such as 10.0.0.2 or 127.0.0.1:5353)"));
            }
        }
        PolicyRules.positive(dns.minTtl(), "client.dns.minTtl", problems);
        PolicyRules.positive(dns.timeout(), "client.dns.timeout", problems);
        if (dns.maxTtl().compareTo(dns.minTtl()) < 0) {
            problems.add(new ConfigProblem("client.dns.maxTtl", "must be >= minTtl ("
                    + ConfigReader.format(dns.minTtl()) + "; was " + ConfigReader.format(dns.maxTtl()) + ")"));
        }
    }

    private static void validateAdmin(AdminConfig admin, List<RouteConfig> routes, List<ConfigProblem> problems) {
        if (!admin.enabled()) {
            return;
        }
        validatePath(admin.path(), "admin.path", problems);
        if (normalisePrefix(admin.path()).equals("/")) {
            problems.add(new ConfigProblem("admin.path", "must not be / (the endpoint would take every request)"));
        }
        String token = admin.token();
        if (token != null && (token.isBlank() || !isPrintable(token))) {
            problems.add(new ConfigProblem("admin.token", "must be printable text without spaces (the value is not"
                    + " shown)"));
        } else if (token != null && token.length() < AdminConfig.MIN_TOKEN_LENGTH) {
            problems.add(new ConfigProblem("admin.token", "must be at least " + AdminConfig.MIN_TOKEN_LENGTH
                    + " characters, was " + token.length()
                    + " (a short token can be guessed; the value is not shown)"));
        }
        for (int i = 0; i < admin.allowedHosts().size(); i++) {
            String host = admin.allowedHosts().get(i);
            if (!host.matches("[A-Za-z0-9._:\\[\\]-]+")) {
                problems.add(new ConfigProblem("admin.allowedHosts[" + i + "]", "must be a host name or address"
                        + " without a port, such as ops.internal or 10.0.0.5 (was " + ConfigReader.quote(host) + ")"));
            }
        }
        List<String> known = routes.stream().map(RouteConfig::name).toList();
        for (int i = 0; i < admin.readyRoutes().size(); i++) {
            String name = admin.readyRoutes().get(i);
            if (!known.contains(name)) {
                problems.add(new ConfigProblem("admin.readyRoutes[" + i + "]", "no route is named "
                        + ConfigReader.quote(name) + " (the routes: " + String.join(", ", known) + ")"));
            }
        }
    }

    private static void validateLimits(LimitsConfig limits, List<ConfigProblem> problems) {
        int bytes = limits.maxRequestHeaderBytes();
        if (bytes < LimitsConfig.MIN_HEADER_BYTES || bytes > LimitsConfig.MAX_HEADER_BYTES) {
            problems.add(new ConfigProblem("limits.maxRequestHeaderBytes", "must be from "
                    + LimitsConfig.MIN_HEADER_BYTES + " to " + LimitsConfig.MAX_HEADER_BYTES + " (was " + bytes + ")"));
        }
        int target = limits.maxRequestTargetBytes();
        if (target < LimitsConfig.MIN_TARGET_BYTES || target > LimitsConfig.MAX_TARGET_BYTES) {
            problems.add(new ConfigProblem("limits.maxRequestTargetBytes", "must be from "
                    + LimitsConfig.MIN_TARGET_BYTES + " to " + LimitsConfig.MAX_TARGET_BYTES + " (was " + target
                    + ")"));
        }
        gatewayLimit(limits.maxExchanges(), "limits.maxExchanges", problems);
        gatewayLimit(limits.maxQueued(), "limits.maxQueued", problems);
    }

    private static void gatewayLimit(int value, String path, List<ConfigProblem> problems) {
        if (value < 0 || value > LimitsConfig.MAX_GATEWAY_LIMIT) {
            problems.add(new ConfigProblem(path, "must be from 0 (no limit) to " + LimitsConfig.MAX_GATEWAY_LIMIT
                    + " (was " + value + ")"));
        }
    }

    private static void validateScaling(RouteConfig route, String path, List<ConfigProblem> problems) {
        ScalingConfig scaling = route.scaling();
        if (!scaling.enabled()) {
            return;
        }
        if (scaling.utilisationHigh() == 0 && scaling.utilisationLow() == 0 && scaling.queueHigh() == 0
                && scaling.latencyHigh().isZero()) {
            problems.add(new ConfigProblem(path, "watches nothing (expected: utilisationHigh, utilisationLow,"
                    + " queueHigh or latencyHigh)"));
        }
        percent(scaling.utilisationHigh(), path + ".utilisationHigh", problems);
        percent(scaling.utilisationLow(), path + ".utilisationLow", problems);
        if (scaling.utilisationHigh() > 0 && scaling.utilisationLow() >= scaling.utilisationHigh()) {
            problems.add(new ConfigProblem(path + ".utilisationLow", "must be below utilisationHigh ("
                    + scaling.utilisationHigh() + "; was " + scaling.utilisationLow() + ")"));
        }
        if (scaling.queueHigh() < 0) {
            problems.add(new ConfigProblem(path + ".queueHigh", "must be >= 0, 0 for none (was "
                    + scaling.queueHigh() + ")"));
        } else if (scaling.queueHigh() > 0 && !route.queue().enabled()) {
            problems.add(new ConfigProblem(path + ".queueHigh", "needs the route's queue (routes[].queue)"));
        }
        if (scaling.latencyHigh().isNegative()) {
            problems.add(new ConfigProblem(path + ".latencyHigh", "must be >= 0, 0 for none (was "
                    + ConfigReader.format(scaling.latencyHigh()) + ")"));
        }
        PolicyRules.positive(scaling.sustain(), path + ".sustain", problems);
        if (scaling.capacityPerBackend() < 0) {
            problems.add(new ConfigProblem(path + ".capacityPerBackend", "must be >= 0 (was "
                    + scaling.capacityPerBackend() + ")"));
        }
        boolean utilisation = scaling.utilisationHigh() > 0 || scaling.utilisationLow() > 0;
        if (utilisation && scaling.capacityPerBackend() == 0) {
            for (BackendConfig backend : route.backends()) {
                if (backend.maxConcurrent() == 0) {
                    problems.add(new ConfigProblem(path + ".capacityPerBackend", "needed: utilisation is requests in"
                            + " flight over capacity, and backend '" + backend.id() + "' has no maxConcurrent"));
                    break;
                }
            }
        }
        String webhook = scaling.webhook();
        if (webhook != null) {
            validateUrl(webhook, path + ".webhook", problems);
        }
    }

    private static void percent(int value, String path, List<ConfigProblem> problems) {
        if (value < 0 || value > 1000) {
            problems.add(new ConfigProblem(path, "must be from 0 (none) to 1000 percent (was " + value + ")"));
        }
    }

    private static void validateZoneAware(ZoneAwareConfig zoneAware, @Nullable String zone, String path,
            List<ConfigProblem> problems) {
        if (!zoneAware.enabled()) {
            return;
        }
        if (zone == null) {
            problems.add(new ConfigProblem(path, "needs the gateway's own zone: client.zone"));
        }
        if (zoneAware.minHealthyPercent() < 0 || zoneAware.minHealthyPercent() > 100) {
            problems.add(new ConfigProblem(path + ".minHealthyPercent", "must be from 0 to 100 (was "
                    + zoneAware.minHealthyPercent() + ")"));
        }
        if (zoneAware.loadMarginPercent() < 0 || zoneAware.loadMarginPercent() > 10_000) {
            problems.add(new ConfigProblem(path + ".loadMarginPercent", "must be from 0 (never on load) to 10000"
                    + " (was " + zoneAware.loadMarginPercent() + ")"));
        }
    }

    /** The most workers one cluster runs. */
    private static final int MAX_WORKERS = 1024;

    private static void validateCluster(ClusterConfig cluster, List<RouteConfig> routes,
            List<ConfigProblem> problems) {
        if (cluster.workers() < 0 || cluster.workers() > MAX_WORKERS) {
            problems.add(new ConfigProblem("cluster.workers", "must be from 1 to " + MAX_WORKERS + ", or auto (was "
                    + cluster.workers() + ")"));
        }
        if (!cluster.enabled()) {
            return;
        }
        if (cluster.command().isEmpty() || cluster.command().get(0).isBlank()) {
            problems.add(new ConfigProblem("cluster.command", "a program to run is required (such as"
                    + " java -jar app.jar --port {port})"));
        }
        int last = cluster.basePort() + cluster.workers();
        if (cluster.basePort() < 1 || last > 65535) {
            problems.add(new ConfigProblem("cluster.basePort", "must be from 1 to " + (65535 - cluster.workers())
                    + ": the cluster uses basePort to basePort + workers, one port more than workers (was "
                    + cluster.basePort() + ")"));
        }
        if (cluster.host().isBlank() || !cluster.host().matches("[A-Za-z0-9._:\\[\\]-]+")) {
            problems.add(new ConfigProblem("cluster.host", "must be a host name or address, such as 127.0.0.1 (was "
                    + ConfigReader.quote(cluster.host()) + ")"));
        }
        if (!cluster.healthPath().startsWith("/")) {
            problems.add(new ConfigProblem("cluster.healthPath", "must start with / (was "
                    + ConfigReader.quote(cluster.healthPath()) + ")"));
        }
        cluster.environment().forEach((name, value) -> {
            if (name.isEmpty() || name.contains("=") || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                problems.add(new ConfigProblem("cluster.environment." + name, "not a variable an environment can hold"
                        + " (a name without '=', no NUL character)"));
            }
        });
        PolicyRules.positive(cluster.startTimeout(), "cluster.startTimeout", problems);
        PolicyRules.positive(cluster.gracePeriod(), "cluster.gracePeriod", problems);
        PolicyRules.positive(cluster.healthInterval(), "cluster.healthInterval", problems);
        PolicyRules.positive(cluster.healthTimeout(), "cluster.healthTimeout", problems);
        PolicyRules.positive(cluster.restartDelay(), "cluster.restartDelay", problems);
        PolicyRules.positive(cluster.crashLoopWindow(), "cluster.crashLoopWindow", problems);
        if (cluster.maxRestartDelay().compareTo(cluster.restartDelay()) < 0) {
            problems.add(new ConfigProblem("cluster.maxRestartDelay", "must be >= restartDelay ("
                    + ConfigReader.format(cluster.restartDelay()) + "; was "
                    + ConfigReader.format(cluster.maxRestartDelay()) + ")"));
        }
        if (cluster.healthFailures() < 1) {
            problems.add(new ConfigProblem("cluster.healthFailures", "must be >= 1 (was " + cluster.healthFailures()
                    + ")"));
        }
        if (cluster.crashLoopRestarts() < 0) {
            problems.add(new ConfigProblem("cluster.crashLoopRestarts", "must be >= 0 (was "
                    + cluster.crashLoopRestarts() + ")"));
        }
        List<String> known = routes.stream().map(RouteConfig::name).toList();
        for (int i = 0; i < cluster.routes().size(); i++) {
            String name = cluster.routes().get(i);
            int index = known.indexOf(name);
            if (index < 0) {
                problems.add(new ConfigProblem("cluster.routes[" + i + "]", "no route is named "
                        + ConfigReader.quote(name) + " (the routes: " + String.join(", ", known) + ")"));
            } else if (!routes.get(index).backends().isEmpty()) {
                problems.add(new ConfigProblem("routes[" + index + "].backends", "route " + ConfigReader.quote(name)
                        + " is served by the cluster's workers (cluster.routes): leave its backends out"));
            }
        }
        if (!routes.isEmpty() && routes.stream().noneMatch(cluster::serves) && cluster.routes().isEmpty()) {
            problems.add(new ConfigProblem("cluster.routes", "no route is served by the workers: name routes here,"
                    + " or leave a route's backends out"));
        }
    }

    private static void validateRoute(RouteConfig route, @Nullable String zone, boolean workers, String path,
            List<ConfigProblem> problems) {
        if (route.name().isBlank()) {
            problems.add(new ConfigProblem(path + ".name", "must not be blank"));
        }
        validatePath(route.prefix(), path + ".prefix", problems);
        MatchRules.validate(route.match(), path + ".match", problems);
        PolicyRules.validateHeaderRules(route.requestHeaders(), path + ".requestHeaders", true, problems);
        PolicyRules.validateHeaderRules(route.responseHeaders(), path + ".responseHeaders", false, problems);
        ReleaseRules.validate(route, path, problems);
        validateZoneAware(route.zoneAware(), zone, path + ".zoneAware", problems);
        validateScaling(route, path + ".scaling", problems);
        for (int i = 0; i < route.backends().size(); i++) {
            BackendConfig backend = route.backends().get(i);
            if (backend.resolve() == BackendConfig.Resolve.DNS && backend.url().trim().regionMatches(true, 0,
                    "https://", 0, 8) && route.tls().serverName() == null) {
                problems.add(new ConfigProblem(path + ".backends[" + i + "].resolve", "an https:// backend from DNS"
                        + " needs the route's tls.serverName: requests go to its addresses, and the certificate is"
                        + " checked against that name"));
            }
        }
        PolicyRules.validateTimeouts(route.timeouts(), path + ".timeouts", problems);
        PolicyRules.validateHealthCheck(route.healthCheck(), path + ".healthCheck", problems);
        PolicyRules.validateOutlierDetection(route.outlierDetection(), path + ".outlierDetection", problems);
        if (route.panicThreshold() < 0 || route.panicThreshold() > 100) {
            problems.add(new ConfigProblem(path + ".panicThreshold", "must be from 0 (never) to 100 (was "
                    + route.panicThreshold() + ")"));
        }
        PolicyRules.validateBreaker(route.circuitBreaker(), path + ".circuitBreaker", problems);
        PolicyRules.validateRetries(route.retries(), path + ".retries", problems);
        PolicyRules.validateFallback(route.fallback(), path + ".fallback", problems);
        PolicyRules.validateAffinity(route.affinity(), path + ".affinity", problems);
        PolicyRules.validateAddressRanges(route.trustedProxies(), path + ".trustedProxies", problems);
        PolicyRules.validateSlowStart(route.slowStart(), path + ".slowStart", problems);
        if (route.preserveHost()) {
            for (int j = 0; j < route.backends().size(); j++) {
                if (route.backends().get(j).protocol().http2()) {
                    problems.add(new ConfigProblem(path + ".preserveHost", "not with HTTP/2 backends (backends[" + j
                            + "]): HTTP/2 names the backend's own authority (:authority), which Host must match"));
                    break;
                }
            }
        }
        PolicyRules.validateQueue(route.queue(), path + ".queue", problems);
        PolicyRules.validateAdaptiveConcurrency(route.adaptiveConcurrency(), path + ".adaptiveConcurrency", problems);
        validateUpgrades(route.upgrades(), path + ".upgrades", problems);
        PolicyRules.validateTls(route.tls(), path + ".tls", problems);
        if (route.rewrite() != null) {
            validatePath(route.rewrite(), path + ".rewrite", problems);
            if (route.stripPrefix()) {
                problems.add(new ConfigProblem(path + ".rewrite",
                        "cannot be combined with stripPrefix (rewrite already replaces the prefix)"));
            }
        }
        List<BackendConfig> backends = route.backends();
        if (backends.isEmpty() && !workers) {
            problems.add(new ConfigProblem(path + ".backends", "at least one backend is required"));
        } else if (!backends.isEmpty() && backends.stream().allMatch(BackendConfig::backup)) {
            problems.add(new ConfigProblem(path + ".backends", "at least one backend must not be a backup"));
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int j = 0; j < backends.size(); j++) {
            BackendConfig backend = backends.get(j);
            String backendPath = path + ".backends[" + j + "]";
            problems.addAll(validate(backend, backendPath));
            Integer sameId = ids.putIfAbsent(backend.id(), j);
            if (sameId != null) {
                problems.add(new ConfigProblem(backendPath + ".id", "duplicate id '" + backend.id()
                        + "' (also backends[" + sameId + "]); give each backend of a route its own id"));
            }
        }
    }

    private static void validateUpgrades(List<String> upgrades, String path, List<ConfigProblem> problems) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < upgrades.size(); i++) {
            String name = upgrades.get(i);
            String at = path + "[" + i + "]";
            if (!isToken(name)) {
                problems.add(new ConfigProblem(at, "'" + name + "' is not a protocol name (expected: a token such"
                        + " as websocket, without a version)"));
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("h2c")) {
                problems.add(new ConfigProblem(at, "h2c cannot be tunnelled: HTTP/2 is negotiated with Junction"
                        + " itself, not passed on"));
            }
            Integer same = seen.putIfAbsent(lower, i);
            if (same != null) {
                problems.add(new ConfigProblem(at, "duplicate '" + name + "' (also " + path + "[" + same + "])"));
            }
        }
    }

    /**
     * Whether a text is an RFC 9110 field value a message can carry: visible characters, spaces and tabs between
     * them, no control characters, no space or tab at either end; empty is one.
     */
    static boolean isFieldValue(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean blank = c == ' ' || c == '\t';
            if ((c < ' ' && c != '\t') || c == 0x7f || c > 0xff || blank && (i == 0 || i == text.length() - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a text is an RFC 9110 token: letters, digits and {@code !#$%&'*+-.^_`|~}, at least one. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphanumeric = c < 0x80 && Character.isLetterOrDigit(c);
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Checks a plain path starting with '/': a prefix, a rewrite, the admin path, a health check's or a cookie's. */
    static void validatePath(String value, String path, List<ConfigProblem> problems) {
        if (!value.startsWith("/")) {
            problems.add(new ConfigProblem(path, "'" + value + "' (expected: a path starting with '/')"));
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '?' || c == '#' || c == '%' || c == '\\') {
                problems.add(new ConfigProblem(path, "'" + value + "' contains '" + describe(c)
                        + "' (expected: a plain path without query, fragment, percent-escapes or spaces)"));
                return;
            }
        }
        for (String segment : normalisePrefix(value).substring(1).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                problems.add(new ConfigProblem(path, "'" + value + "' contains a '" + segment + "' segment"));
                return;
            }
            if (segment.isEmpty() && !value.equals("/")) {
                problems.add(new ConfigProblem(path, "'" + value + "' contains an empty segment ('//')"));
                return;
            }
        }
    }

    private static void validateUrl(String url, String path, List<ConfigProblem> problems) {
        String trimmed = url.trim();
        if (trimmed.isEmpty()) {
            problems.add(new ConfigProblem(path, "must not be blank"));
            return;
        }
        if (!trimmed.contains("://")) {
            // Without this, a URL missing its scheme (10.0.0.1:8080) reads as an illegal scheme name.
            problems.add(new ConfigProblem(path, "'" + url + "' (expected: an http:// or https:// URL)"));
            return;
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            problems.add(new ConfigProblem(path, "'" + url + "' is not a valid URL: " + e.getReason()));
            return;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            problems.add(new ConfigProblem(path, "'" + url + "' (expected: an http:// or https:// URL)"));
            return;
        }
        if (uri.getHost() == null) {
            // java.net.URI leaves the host null when the authority is not host[:port] by RFC 2396, as with an
            // underscore in the host name (a Docker Compose service name) or a port that is not a number.
            problems.add(new ConfigProblem(path, uri.getRawAuthority() == null ? "'" + url + "' has no host"
                    : "'" + url + "' has an invalid host or port (expected: a host name of letters, digits, '-' and"
                            + " '.', or an IP address, and a port from 1 to 65535)"));
            return;
        }
        if (uri.getRawUserInfo() != null) {
            problems.add(new ConfigProblem(path, "'" + url + "' must not contain user information"));
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            problems.add(new ConfigProblem(path, "'" + url + "' has port " + uri.getPort() + " (expected: 1-65535)"));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add(new ConfigProblem(path, "'" + url + "' must not have a query or fragment"));
        }
    }

    /** The name of SRV records: labels of letters, digits, '-' and '_', separated by dots. */
    private static final String SRV_LABEL = "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9])?";
    private static final Pattern SRV_NAME = Pattern.compile(SRV_LABEL + "(\\." + SRV_LABEL + ")*\\.?");

    /** Checks a {@code dns+srv://_http._tcp.service} backend: a name, and nothing else. */
    private static void validateSrv(BackendConfig backend, String path, List<ConfigProblem> problems) {
        String url = backend.url().trim();
        if (!SRV_NAME.matcher(backend.srvName()).matches()) {
            problems.add(new ConfigProblem(path + ".url", "'" + url + "' (expected: dns+srv:// and the name of SRV"
                    + " records, such as dns+srv://_http._tcp.api.internal; the records give ports, no port or path"
                    + " here)"));
        }
    }

    /**
     * Returns whether a URL's host is a name to look up rather than an IPv4 or IPv6 address (false for a URL without
     * a host): what {@code resolve: dns} needs, and what a route's {@code resolve} applies to.
     */
    static boolean namesHost(String url) {
        try {
            String host = new URI(url.trim()).getHost();
            return host != null && !host.startsWith("[") && !host.matches("[0-9.]+");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String describe(char c) {
        return c < ' ' || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
