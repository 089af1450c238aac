package dev.junction.core.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a route's policies, for {@link Validator}: timeouts, health checks (a route's and a backend's), the
 * circuit breaker, retries, affinity, the fallback answer, slow start and outlier detection, with the duration and
 * range rules they share. Each adds the problems it finds, with paths under {@code path}, to {@code problems}.
 *
 * <p>Stateless and thread-safe.
 */
final class PolicyRules {

    /** The most checks in a row a threshold may ask for. */
    static final int MAX_THRESHOLD = 100;
    /** The most attempts a request may be given. */
    static final int MAX_ATTEMPTS = 10;
    /** The largest body held for a replay: 16 MiB. */
    static final int MAX_BUFFER_BYTES = 16 * 1024 * 1024;
    /** An HTTP token (RFC 9110 §5.6.2): what header and cookie names are made of. */
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";

    private PolicyRules() {
    }

    static void validateTimeouts(TimeoutConfig timeouts, String path, List<ConfigProblem> problems) {
        positive(timeouts.connect(), path + ".connect", problems);
        positive(timeouts.response(), path + ".response", problems);
        positive(timeouts.idle(), path + ".idle", problems);
        positive(timeouts.tunnelIdle(), path + ".tunnelIdle", problems);
        if (timeouts.total().isNegative()) {
            problems.add(new ConfigProblem(path + ".total",
                    "must be >= 0, 0 for no limit (was " + ConfigReader.format(timeouts.total()) + ")"));
        }
    }

    static void validateHealthCheck(HealthCheckConfig check, String path, List<ConfigProblem> problems) {
        if (!check.enabled()) {
            return;
        }
        if (check.path() != null) {
            Validator.validatePath(check.path(), path + ".path", problems);
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

    static void validateBreaker(BreakerConfig breaker, String path, List<ConfigProblem> problems) {
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
        range(breaker.maxOpenPercent(), 1, 100, path + ".maxOpenPercent", problems);
        if (breaker.successesToClose() < 1 || breaker.successesToClose() > breaker.halfOpenTrials()) {
            problems.add(new ConfigProblem(path + ".successesToClose", "must be from 1 to halfOpenTrials ("
                    + breaker.halfOpenTrials() + ") (was " + breaker.successesToClose() + ")"));
        }
    }

    static void validateRetries(RetryConfig retries, String path, List<ConfigProblem> problems) {
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

    /** Checks a list of addresses and CIDR ranges, naming each bad entry by its index. */
    static void validateAddressRanges(List<String> ranges, String path, List<ConfigProblem> problems) {
        for (int i = 0; i < ranges.size(); i++) {
            try {
                AddressRange.parse(ranges.get(i));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(path + "[" + i + "]", e.getMessage()));
            }
        }
    }

    static void validateAffinity(AffinityConfig affinity, String path, List<ConfigProblem> problems) {
        if (!affinity.enabled()) {
            return;
        }
        switch (affinity.mode()) {
            case COOKIE -> {
                if (!affinity.cookieName().matches(TOKEN)) {
                    problems.add(new ConfigProblem(path + ".cookie.name", "'" + affinity.cookieName()
                            + "' is not a cookie name"));
                }
                Validator.validatePath(affinity.cookiePath(), path + ".cookie.path", problems);
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
        validateAddressRanges(affinity.trustedProxies(), path + ".trustedProxies", problems);
        int bounded = affinity.boundedLoadPercent();
        if (bounded != 0 && (bounded < 100 || bounded > 1000)) {
            problems.add(new ConfigProblem(path + ".boundedLoadPercent", "must be 0 (no bound) or from 100 to 1000"
                    + " (was " + bounded + ")"));
        }
        positive(affinity.ttl(), path + ".ttl", problems);
        range(affinity.maxSessions(), 1, 10_000_000, path + ".maxSessions", problems);
    }

    static void validateFallback(FallbackConfig fallback, String path, List<ConfigProblem> problems) {
        range(fallback.status(), 200, 599, path + ".status", problems);
        validateHeaders(fallback.headers(), path + ".headers", problems);
    }

    static void validateTls(TlsConfig tls, String path, List<ConfigProblem> problems) {
        if (tls.certificate() != null && tls.key() == null) {
            problems.add(new ConfigProblem(path + ".key", "required with certificate (its private key)"));
        }
        if (tls.key() != null && tls.certificate() == null) {
            problems.add(new ConfigProblem(path + ".certificate", "required with key (the key's certificate)"));
        }
        if (tls.keyStore() != null && (tls.certificate() != null || tls.key() != null)) {
            problems.add(new ConfigProblem(path + ".keyStore", "cannot be combined with certificate and key (it"
                    + " holds both)"));
        }
        if (tls.keyPasswordFile() != null && tls.keyPasswordEnv() != null) {
            problems.add(new ConfigProblem(path + ".keyPasswordEnv", "cannot be combined with keyPasswordFile"));
        }
        if ((tls.keyPasswordFile() != null || tls.keyPasswordEnv() != null) && !tls.clientCertificate()) {
            problems.add(new ConfigProblem(path + (tls.keyPasswordFile() != null ? ".keyPasswordFile"
                    : ".keyPasswordEnv"), "a password without a key (expected: with key or keyStore)"));
        }
        if (tls.insecureSkipVerify() && (tls.caBundle() != null || tls.serverName() != null)) {
            problems.add(new ConfigProblem(path + ".insecureSkipVerify", "cannot be combined with "
                    + (tls.caBundle() != null ? "caBundle" : "serverName") + ", which only verification uses"));
        }
        String name = tls.serverName();
        if (name != null && !name.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*"
                + "[A-Za-z0-9])?)*")) {
            problems.add(new ConfigProblem(path + ".serverName", "'" + name + "' is not a host name"));
        }
    }

    static void validateAdaptiveConcurrency(AdaptiveConcurrencyConfig adaptive, String path,
            List<ConfigProblem> problems) {
        if (!adaptive.enabled()) {
            return;
        }
        if (!AdaptiveConcurrencyConfig.ALGORITHMS.contains(adaptive.algorithm())) {
            problems.add(new ConfigProblem(path + ".algorithm", "'" + adaptive.algorithm() + "' (expected: "
                    + String.join(" or ", AdaptiveConcurrencyConfig.ALGORITHMS) + ")"));
        }
        if (adaptive.minLimit() < 1) {
            problems.add(new ConfigProblem(path + ".minLimit", "must be at least 1 (was " + adaptive.minLimit() + ")"));
        }
        if (adaptive.maxLimit() < adaptive.minLimit() || adaptive.maxLimit() > 1_000_000) {
            problems.add(new ConfigProblem(path + ".maxLimit", "must be from minLimit (" + adaptive.minLimit()
                    + ") to 1000000 (was " + adaptive.maxLimit() + ")"));
        }
        if (adaptive.initialLimit() < adaptive.minLimit() || adaptive.initialLimit() > adaptive.maxLimit()) {
            problems.add(new ConfigProblem(path + ".initialLimit", "must be from minLimit to maxLimit (was "
                    + adaptive.initialLimit() + ")"));
        }
    }

    static void validateQueue(QueueConfig queue, String path, List<ConfigProblem> problems) {
        if (queue.maxWaiting() < 0 || queue.maxWaiting() > QueueConfig.MAX_WAITING) {
            problems.add(new ConfigProblem(path + ".maxWaiting", "must be from 0 (no queue) to "
                    + QueueConfig.MAX_WAITING + " (was " + queue.maxWaiting() + ")"));
        }
        positive(queue.timeout(), path + ".timeout", problems);
        List<String> classes = queue.classes();
        if (classes.isEmpty()) {
            problems.add(new ConfigProblem(path + ".classes", "at least one class is required"));
        }
        for (int i = 0; i < classes.size(); i++) {
            String name = classes.get(i);
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                problems.add(new ConfigProblem(path + ".classes[" + i + "]", "'" + name
                        + "' is not a class name (expected: letters, digits, '.', '_' and '-')"));
            } else if (classes.indexOf(name) != i) {
                problems.add(new ConfigProblem(path + ".classes[" + i + "]", "'" + name + "' is listed twice"));
            }
        }
        if (!classes.isEmpty() && !classes.contains(queue.defaultClass())) {
            problems.add(new ConfigProblem(path + ".defaultClass", "'" + queue.defaultClass()
                    + "' is not one of the classes (" + String.join(", ", classes) + ")"));
        }
        String header = queue.classHeader();
        if (header != null && !Validator.isToken(header)) {
            problems.add(new ConfigProblem(path + ".classHeader", "'" + header
                    + "' is not a header name (expected: a token such as X-Priority)"));
        }
        queue.classByPrefix().forEach((prefix, name) -> {
            if (!prefix.startsWith("/")) {
                problems.add(new ConfigProblem(path + ".classByPrefix", "'" + prefix
                        + "' is not a path prefix (expected: one starting with /)"));
            }
            knownClass(classes, name, path + ".classByPrefix." + prefix, problems);
        });
        queue.classByMethod().forEach((method, name) -> {
            if (!Validator.isToken(method)) {
                problems.add(new ConfigProblem(path + ".classByMethod", "'" + method
                        + "' is not a method (expected: a token such as DELETE)"));
            }
            knownClass(classes, name, path + ".classByMethod." + method, problems);
        });
        String resolver = queue.classResolver();
        if (resolver != null && !resolver.matches("[a-z0-9][a-z0-9-]*")) {
            problems.add(new ConfigProblem(path + ".classResolver", "'" + resolver
                    + "' is not a resolver's name (expected: lower-case letters, digits and '-')"));
        }
        if (queue.aging().isNegative()) {
            problems.add(new ConfigProblem(path + ".aging", "must be 0 (strict priority) or more (was "
                    + ConfigReader.format(queue.aging()) + ")"));
        }
    }

    private static void knownClass(List<String> classes, String name, String path, List<ConfigProblem> problems) {
        if (!classes.contains(name)) {
            problems.add(new ConfigProblem(path, "'" + name + "' is not one of the classes ("
                    + String.join(", ", classes) + ")"));
        }
    }

    static void validateSlowStart(SlowStartConfig slowStart, String path, List<ConfigProblem> problems) {
        if (slowStart.window().isNegative()) {
            problems.add(new ConfigProblem(path + ".window", "must be >= 0, 0 for no slow start (was "
                    + ConfigReader.format(slowStart.window()) + ")"));
        }
        if (slowStart.minWeightPercent() < 1 || slowStart.minWeightPercent() > 100) {
            problems.add(new ConfigProblem(path + ".minWeightPercent", "must be from 1 to 100 (was "
                    + slowStart.minWeightPercent() + ")"));
        }
    }

    static void validateOutlierDetection(OutlierDetectionConfig detection, String path,
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

    static void positive(Duration duration, String path, List<ConfigProblem> problems) {
        if (duration.isNegative() || duration.isZero()) {
            problems.add(new ConfigProblem(path, "must be > 0 (was " + ConfigReader.format(duration) + ")"));
        }
    }

    /**
     * Checks one direction's header rules: names are tokens and not protected, values are field values a message can
     * carry and use only known variables, no name set and added or removed at once.
     *
     * @param request whether the rules edit requests (else responses)
     */
    static void validateHeaderRules(HeaderRulesConfig rules, String path, boolean request,
            List<ConfigProblem> problems) {
        List<String> protectedNames = request ? HeaderRulesConfig.PROTECTED_REQUEST
                : HeaderRulesConfig.PROTECTED_RESPONSE;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rules.remove().size(); i++) {
            String name = rules.remove().get(i);
            headerName(name, path + ".remove[" + i + "]", protectedNames, request, problems);
            seen.add(name.toLowerCase(Locale.ROOT));
        }
        for (String kind : List.of("set", "add")) {
            Map<String, String> headers = kind.equals("set") ? rules.set() : rules.add();
            for (Map.Entry<String, String> header : headers.entrySet()) {
                String at = path + "." + kind + "." + header.getKey();
                String name = header.getKey();
                if (headerName(name, at, protectedNames, request, problems)
                        && !seen.add(name.toLowerCase(Locale.ROOT))) {
                    problems.add(new ConfigProblem(at, "'" + name + "' is named by more than one of remove, set and"
                            + " add (expected: each name in one of them)"));
                }
                headerValue(header.getValue(), at, problems);
            }
        }
    }

    private static boolean headerName(String name, String at, List<String> protectedNames, boolean request,
            List<ConfigProblem> problems) {
        if (!name.matches(TOKEN)) {
            problems.add(new ConfigProblem(at, "'" + name + "' is not a header name (expected: a token such as"
                    + " X-Env)"));
            return false;
        }
        for (String kept : protectedNames) {
            if (kept.equalsIgnoreCase(name)) {
                problems.add(new ConfigProblem(at, "'" + name + "' is Junction's to write (" + (request
                        ? "framing, connection and forwarding headers; Host follows preserveHost, Via follows via,"
                                + " Forwarded follows forwarded"
                        : "framing and connection headers; Via follows via") + ")"));
                return false;
            }
        }
        return true;
    }

    private static void headerValue(String value, String at, List<ConfigProblem> problems) {
        for (HeaderRulesConfig.Piece piece : HeaderRulesConfig.pieces(value)) {
            if (piece.variable() && !HeaderRulesConfig.VARIABLES.contains(piece.text())) {
                problems.add(new ConfigProblem(at, "'${" + piece.text() + "}' is not a variable (expected: ${"
                        + String.join("}, ${", HeaderRulesConfig.VARIABLES) + "}, or $$ for a $)"));
                return;
            }
        }
        if (!Validator.isFieldValue(value)) {
            problems.add(new ConfigProblem(at, "'" + shown(value) + "' is not a header value a message can carry"
                    + " (expected: no control characters, no space at either end)"));
        }
    }

    /** Returns a text with its control characters written as escapes ({@code \r}, {@code \u0000}). */
    static String shown(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> shown.append("\\r");
                case '\n' -> shown.append("\\n");
                case '\t' -> shown.append("\\t");
                default -> shown.append(c < ' ' || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return shown.toString();
    }
}
