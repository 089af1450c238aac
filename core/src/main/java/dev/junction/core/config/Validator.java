package dev.junction.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one place the rules of the configuration live. The builder, the YAML loader and the flat-key loader all end
 * here, so the same mistake gets the same message whichever door it came through, and every problem is reported at
 * once, each with its path.
 *
 * <p>Stateless and thread-safe.
 */
public final class Validator {

    private Validator() {
    }

    /**
     * Throws if the configuration or any of the problems already found while reading it is wrong.
     *
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

    /** Returns every problem of a configuration, in document order; empty if it is valid. */
    public static List<ConfigProblem> validate(JunctionConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        List<RouteConfig> routes = config.routes();
        if (routes.isEmpty()) {
            problems.add(new ConfigProblem("routes", "at least one route is required"));
        }
        validateClient(config.client(), problems);
        validateLimits(config.limits(), problems);
        validateAdmin(config.admin(), problems);
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> prefixes = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            String path = "routes[" + i + "]";
            validateRoute(route, path, problems);
            Integer sameName = names.putIfAbsent(route.name(), i);
            if (sameName != null) {
                problems.add(new ConfigProblem(path + ".name",
                        "duplicate name '" + route.name() + "' (also routes[" + sameName + "])"));
            }
            Integer samePrefix = prefixes.putIfAbsent(normalisePrefix(route.prefix()), i);
            if (samePrefix != null) {
                problems.add(new ConfigProblem(path + ".prefix",
                        "duplicate prefix '" + route.prefix() + "' (also routes[" + samePrefix + "])"));
            }
        }
        return problems;
    }

    /** Returns every problem of one backend, with paths under {@code path}; empty if it is valid. */
    public static List<ConfigProblem> validate(BackendConfig backend, String path) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (backend.id().isBlank()) {
            problems.add(new ConfigProblem(path + ".id", "must not be blank"));
        } else if (!isPrintable(backend.id())) {
            problems.add(new ConfigProblem(path + ".id",
                    "'" + backend.id() + "' (expected: no spaces or control characters)"));
        }
        validateUrl(backend.url(), path + ".url", problems);
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
        for (String key : backend.metadata().keySet()) {
            if (key.isBlank()) {
                problems.add(new ConfigProblem(path + ".metadata", "keys must not be blank"));
            }
        }
        if (backend.healthCheck() != null) {
            validateHealthCheck(backend.healthCheck(), path + ".healthCheck", problems);
        }
        return problems;
    }

    /**
     * Returns a prefix as routes match it: a trailing slash removed ({@code /api/} is {@code /api}), except for the
     * root {@code /}.
     */
    public static String normalisePrefix(String prefix) {
        String result = prefix.trim();
        while (result.length() > 1 && result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private static void validateClient(ClientConfig client, List<ConfigProblem> problems) {
        int max = client.maxConnectionsPerBackend();
        if (max <= 0) {
            problems.add(new ConfigProblem("client.maxConnectionsPerBackend", "must be > 0 (was " + max + ")"));
        } else if (max > ClientConfig.MAX_CONNECTIONS) {
            problems.add(new ConfigProblem("client.maxConnectionsPerBackend",
                    "must be <= " + ClientConfig.MAX_CONNECTIONS + " (was " + max + ")"));
        }
        positive(client.idleTimeout(), "client.idleTimeout", problems);
    }

    private static void validateAdmin(AdminConfig admin, List<ConfigProblem> problems) {
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
        }
    }

    private static void validateLimits(LimitsConfig limits, List<ConfigProblem> problems) {
        int bytes = limits.maxRequestHeaderBytes();
        if (bytes < LimitsConfig.MIN_HEADER_BYTES || bytes > LimitsConfig.MAX_HEADER_BYTES) {
            problems.add(new ConfigProblem("limits.maxRequestHeaderBytes", "must be from "
                    + LimitsConfig.MIN_HEADER_BYTES + " to " + LimitsConfig.MAX_HEADER_BYTES + " (was " + bytes + ")"));
        }
    }

    private static void validateTimeouts(TimeoutConfig timeouts, String path, List<ConfigProblem> problems) {
        positive(timeouts.connect(), path + ".connect", problems);
        positive(timeouts.response(), path + ".response", problems);
        positive(timeouts.idle(), path + ".idle", problems);
        if (timeouts.total().isNegative()) {
            problems.add(new ConfigProblem(path + ".total",
                    "must be >= 0, 0 for no limit (was " + ConfigReader.format(timeouts.total()) + ")"));
        }
    }

    /** The most checks in a row a threshold may ask for. */
    static final int MAX_THRESHOLD = 100;

    private static void validateHealthCheck(HealthCheckConfig check, String path, List<ConfigProblem> problems) {
        if (!check.enabled()) {
            return;
        }
        if (check.path() != null) {
            validatePath(check.path(), path + ".path", problems);
        }
        if (check.port() < 0 || check.port() > 65535) {
            problems.add(new ConfigProblem(path + ".port", "must be from 1 to 65535, or 0 for the backend's own (was "
                    + check.port() + ")"));
        }
        if (!check.method().matches("[A-Z]+")) {
            problems.add(new ConfigProblem(path + ".method", "'" + check.method()
                    + "' (expected: a method in capitals, such as GET or HEAD)"));
        }
        positive(check.interval(), path + ".interval", problems);
        positive(check.timeout(), path + ".timeout", problems);
        Duration jitter = check.jitter();
        if (jitter != null && jitter.isNegative()) {
            problems.add(new ConfigProblem(path + ".jitter", "must be >= 0 (was " + ConfigReader.format(jitter) + ")"));
        }
        try {
            StatusRanges.parse(check.expectedStatuses());
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(path + ".expectedStatuses", e.getMessage()));
        }
        String body = check.expectedBody();
        if (body != null && body.isEmpty()) {
            problems.add(new ConfigProblem(path + ".expectedBody", "must not be empty"));
        }
        try {
            check.expectedBodyPattern();
        } catch (java.util.regex.PatternSyntaxException e) {
            problems.add(new ConfigProblem(path + ".expectedBody", "'" + body + "' is not a regular expression: "
                    + e.getDescription()));
        }
        validateHeaders(check.headers(), path + ".headers", problems);
        threshold(check.healthyThreshold(), path + ".healthyThreshold", problems);
        threshold(check.unhealthyThreshold(), path + ".unhealthyThreshold", problems);
    }

    /** An HTTP token (RFC 9110 §5.6.2): what header and cookie names are made of. */
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    private static void validateHeaders(Map<String, String> headers, String path, List<ConfigProblem> problems) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!header.getKey().matches(TOKEN)) {
                problems.add(new ConfigProblem(path, "'" + header.getKey() + "' is not a header name"));
            } else if (header.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                problems.add(new ConfigProblem(path + "." + header.getKey(), "must not contain CR, LF or NUL"));
            }
        }
    }

    private static void statuses(String statuses, String path, List<ConfigProblem> problems) {
        try {
            StatusRanges.parse(statuses);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(path, e.getMessage()));
        }
    }

    private static void range(int value, int min, int max, String path, List<ConfigProblem> problems) {
        if (value < min || value > max) {
            problems.add(new ConfigProblem(path, "must be from " + min + " to " + max + " (was " + value + ")"));
        }
    }

    /** The most attempts a request may be given. */
    static final int MAX_ATTEMPTS = 10;
    /** The largest body held for a replay: 16 MiB. */
    static final int MAX_BUFFER_BYTES = 16 * 1024 * 1024;

    private static void validateBreaker(BreakerConfig breaker, String path, List<ConfigProblem> problems) {
        if (!breaker.enabled()) {
            return;
        }
        statuses(breaker.failureStatuses(), path + ".failureStatuses", problems);
        range(breaker.consecutiveFailures(), 1, MAX_THRESHOLD, path + ".consecutiveFailures", problems);
        range(breaker.failureRatePercent(), 0, 100, path + ".failureRatePercent", problems);
        if (breaker.failureRatePercent() > 0) {
            range(breaker.minimumCalls(), 1, 100_000, path + ".minimumCalls", problems);
            positive(breaker.window(), path + ".window", problems);
        }
        positive(breaker.delay(), path + ".delay", problems);
        range(breaker.halfOpenTrials(), 1, MAX_THRESHOLD, path + ".halfOpenTrials", problems);
        if (breaker.successesToClose() < 1 || breaker.successesToClose() > breaker.halfOpenTrials()) {
            problems.add(new ConfigProblem(path + ".successesToClose", "must be from 1 to halfOpenTrials ("
                    + breaker.halfOpenTrials() + ") (was " + breaker.successesToClose() + ")"));
        }
    }

    private static void validateRetries(RetryConfig retries, String path, List<ConfigProblem> problems) {
        if (!retries.enabled()) {
            return;
        }
        range(retries.maxAttempts(), 1, MAX_ATTEMPTS, path + ".maxAttempts", problems);
        positive(retries.backoffBase(), path + ".backoffBase", problems);
        if (retries.backoffMax().compareTo(retries.backoffBase()) < 0) {
            problems.add(new ConfigProblem(path + ".backoffMax", "must be >= backoffBase (was "
                    + ConfigReader.format(retries.backoffMax()) + ")"));
        }
        if (!retries.retryStatuses().isBlank()) {
            statuses(retries.retryStatuses(), path + ".retryStatuses", problems);
        } else if (retries.retryOn().isEmpty()) {
            problems.add(new ConfigProblem(path + ".retryOn", "is empty and so are retryStatuses: nothing would be"
                    + " retried"));
        }
        range(retries.bufferBytes(), 0, MAX_BUFFER_BYTES, path + ".bufferBytes", problems);
        range(retries.budgetPercent(), 0, 100, path + ".budgetPercent", problems);
        range(retries.budgetMinPerSecond(), 0, 100_000, path + ".budgetMinPerSecond", problems);
        if (retries.deadline().isNegative()) {
            problems.add(new ConfigProblem(path + ".deadline", "must be >= 0, 0 for none (was "
                    + ConfigReader.format(retries.deadline()) + ")"));
        } else if (!retries.deadline().isZero() && retries.deadline().compareTo(retries.backoffMax()) <= 0) {
            problems.add(new ConfigProblem(path + ".deadline", "must be 0 (none) or longer than backoffMax (was "
                    + ConfigReader.format(retries.deadline()) + ")"));
        }
    }

    private static void validateAffinity(AffinityConfig affinity, String path, List<ConfigProblem> problems) {
        if (!affinity.enabled()) {
            return;
        }
        switch (affinity.mode()) {
            case COOKIE -> {
                if (!affinity.cookieName().matches(TOKEN)) {
                    problems.add(new ConfigProblem(path + ".cookie.name", "'" + affinity.cookieName()
                            + "' is not a cookie name"));
                }
                validatePath(affinity.cookiePath(), path + ".cookie.path", problems);
                if (affinity.cookieMaxAge().isNegative()) {
                    problems.add(new ConfigProblem(path + ".cookie.maxAge", "must be >= 0, 0 for a session cookie"
                            + " (was " + ConfigReader.format(affinity.cookieMaxAge()) + ")"));
                }
                String sameSite = affinity.cookieSameSite();
                if (!sameSite.equals("Strict") && !sameSite.equals("Lax") && !sameSite.equals("None")) {
                    problems.add(new ConfigProblem(path + ".cookie.sameSite", "'" + sameSite
                            + "' (expected: Strict, Lax or None)"));
                } else if (sameSite.equals("None") && !affinity.cookieSecure()) {
                    problems.add(new ConfigProblem(path + ".cookie.sameSite", "None needs secure: true (browsers"
                            + " refuse SameSite=None cookies that are not Secure)"));
                }
                String secret = affinity.secret();
                if (secret != null && secret.length() < 16) {
                    problems.add(new ConfigProblem(path + ".secret", "must be at least 16 characters (the value is not"
                            + " shown)"));
                }
            }
            case HEADER -> {
                if (!affinity.header().matches(TOKEN)) {
                    problems.add(new ConfigProblem(path + ".header", "'" + affinity.header()
                            + "' is not a header name"));
                }
            }
            case APP_COOKIE -> {
                if (!affinity.appCookie().matches(TOKEN)) {
                    problems.add(new ConfigProblem(path + ".appCookie", "'" + affinity.appCookie()
                            + "' is not a cookie name"));
                }
            }
            default -> {
            }
        }
        for (int i = 0; i < affinity.trustedProxies().size(); i++) {
            try {
                AddressRange.parse(affinity.trustedProxies().get(i));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(path + ".trustedProxies[" + i + "]", e.getMessage()));
            }
        }
        int bounded = affinity.boundedLoadPercent();
        if (bounded != 0 && (bounded < 100 || bounded > 1000)) {
            problems.add(new ConfigProblem(path + ".boundedLoadPercent", "must be 0 (no bound) or from 100 to 1000"
                    + " (was " + bounded + ")"));
        }
        positive(affinity.ttl(), path + ".ttl", problems);
        range(affinity.maxSessions(), 1, 10_000_000, path + ".maxSessions", problems);
    }

    private static void validateFallback(FallbackConfig fallback, String path, List<ConfigProblem> problems) {
        range(fallback.status(), 200, 599, path + ".status", problems);
        validateHeaders(fallback.headers(), path + ".headers", problems);
    }

    private static void validateOutlierDetection(OutlierDetectionConfig detection, String path,
            List<ConfigProblem> problems) {
        if (!detection.enabled()) {
            return;
        }
        failuresInARow(detection.consecutive5xx(), path + ".consecutive5xx", problems);
        failuresInARow(detection.consecutiveConnectFailures(), path + ".consecutiveConnectFailures", problems);
        int latency = detection.latencyPercentOfMedian();
        if (latency != 0 && (latency <= 100 || latency > 100_000)) {
            problems.add(new ConfigProblem(path + ".latencyPercentOfMedian", "must be 0 (never) or from 101 to 100000"
                    + " (was " + latency + ")"));
        }
        if (detection.consecutive5xx() == 0 && detection.consecutiveConnectFailures() == 0 && latency == 0) {
            problems.add(new ConfigProblem(path, "consecutive5xx, consecutiveConnectFailures and"
                    + " latencyPercentOfMedian are all 0: nothing would eject a backend"));
        }
        positive(detection.baseEjectionTime(), path + ".baseEjectionTime", problems);
        if (detection.maxEjectionTime().compareTo(detection.baseEjectionTime()) < 0) {
            problems.add(new ConfigProblem(path + ".maxEjectionTime", "must be >= baseEjectionTime (was "
                    + ConfigReader.format(detection.maxEjectionTime()) + ")"));
        }
        int percent = detection.maxEjectionPercent();
        if (percent < 0 || percent > 100) {
            problems.add(new ConfigProblem(path + ".maxEjectionPercent", "must be from 0 to 100 (was " + percent
                    + ")"));
        }
    }

    private static void failuresInARow(int value, String path, List<ConfigProblem> problems) {
        if (value < 0 || value > MAX_THRESHOLD) {
            problems.add(new ConfigProblem(path, "must be from 0 (never) to " + MAX_THRESHOLD + " (was " + value
                    + ")"));
        }
    }

    private static void threshold(int value, String path, List<ConfigProblem> problems) {
        if (value < 1 || value > MAX_THRESHOLD) {
            problems.add(new ConfigProblem(path, "must be from 1 to " + MAX_THRESHOLD + " (was " + value + ")"));
        }
    }

    private static void positive(Duration duration, String path, List<ConfigProblem> problems) {
        if (duration.isNegative() || duration.isZero()) {
            problems.add(new ConfigProblem(path, "must be > 0 (was " + ConfigReader.format(duration) + ")"));
        }
    }

    private static void validateRoute(RouteConfig route, String path, List<ConfigProblem> problems) {
        if (route.name().isBlank()) {
            problems.add(new ConfigProblem(path + ".name", "must not be blank"));
        }
        validatePath(route.prefix(), path + ".prefix", problems);
        validateTimeouts(route.timeouts(), path + ".timeouts", problems);
        validateHealthCheck(route.healthCheck(), path + ".healthCheck", problems);
        validateOutlierDetection(route.outlierDetection(), path + ".outlierDetection", problems);
        if (route.panicThreshold() < 0 || route.panicThreshold() > 100) {
            problems.add(new ConfigProblem(path + ".panicThreshold", "must be from 0 (never) to 100 (was "
                    + route.panicThreshold() + ")"));
        }
        validateBreaker(route.circuitBreaker(), path + ".circuitBreaker", problems);
        validateRetries(route.retries(), path + ".retries", problems);
        validateFallback(route.fallback(), path + ".fallback", problems);
        validateAffinity(route.affinity(), path + ".affinity", problems);
        SlowStartConfig slowStart = route.slowStart();
        if (slowStart.window().isNegative()) {
            problems.add(new ConfigProblem(path + ".slowStart.window", "must be >= 0, 0 for no slow start (was "
                    + ConfigReader.format(slowStart.window()) + ")"));
        }
        if (slowStart.minWeightPercent() < 1 || slowStart.minWeightPercent() > 100) {
            problems.add(new ConfigProblem(path + ".slowStart.minWeightPercent", "must be from 1 to 100 (was "
                    + slowStart.minWeightPercent() + ")"));
        }
        if (route.rewrite() != null) {
            validatePath(route.rewrite(), path + ".rewrite", problems);
            if (route.stripPrefix()) {
                problems.add(new ConfigProblem(path + ".rewrite",
                        "cannot be combined with stripPrefix (rewrite already replaces the prefix)"));
            }
        }
        List<BackendConfig> backends = route.backends();
        if (backends.isEmpty()) {
            problems.add(new ConfigProblem(path + ".backends", "at least one backend is required"));
        } else if (backends.stream().allMatch(BackendConfig::backup)) {
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

    private static void validatePath(String value, String path, List<ConfigProblem> problems) {
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
