package dev.junction.core.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A route's active health check: a request sent to each backend every interval, whose answer decides whether the
 * backend takes traffic. A backend leaves after {@code unhealthyThreshold} failed checks in a row and comes back after
 * {@code healthyThreshold} passed ones, as HAProxy's {@code fall} and {@code rise}.
 *
 * <p>A route's check applies to each of its backends, unless a backend has a check of its own
 * ({@link BackendConfig#healthCheck()}). Instead of the HTTP request, a check may run a
 * {@link dev.junction.core.spi.HealthCheck} of one's own ({@link #check()}), on the same schedule and thresholds:
 * named here, it is found when Junction is built.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param path the path checked on each backend (after the backend URL's own path), or null for no HTTP check;
 *     default none
 * @param method the request method; default {@code GET}
 * @param port the port the check is sent to, such as a management port, or 0 for the backend's own; default 0
 * @param interval the time between two checks of a backend; default 5 s
 * @param jitter up to this much is added to each interval at random, so the checks of many gateways do not line up;
 *     default 10% of the interval
 * @param timeout the longest a check may take, connecting included; a check that takes longer fails; default 2 s
 * @param expectedStatuses the statuses that pass, as a comma-separated list of codes and ranges; default
 *     {@code 200-399}
 * @param expectedBody text the response body must contain for the check to pass, or {@code regex:} and a regular
 *     expression it must match somewhere; the first 64 KiB of the body are read; default none (the body is not read)
 * @param headers headers the check sends besides {@code User-Agent: Junction-HealthCheck}, which one of them may
 *     replace; default none
 * @param healthyThreshold passed checks in a row that bring a backend back; default 2
 * @param unhealthyThreshold failed checks in a row that take a backend out; default 3
 * @param startHealthy whether backends take traffic from the start; if false (the default), each backend takes
 *     traffic once its first check has passed, and the first checks start at once
 * @param check the check of one's own run instead of the HTTP request: a name registered on the Junction
 *     ({@code Junction.builder(config).healthCheck(name, check)}), a built-in name ({@code tcp}), or the class name of
 *     a {@link dev.junction.core.spi.HealthCheck}; null for the HTTP check; default none
 * @param checkOptions the options a check named by class is created with; default none
 */
public record HealthCheckConfig(@Nullable String path, String method, int port, Duration interval,
        @Nullable Duration jitter, Duration timeout, String expectedStatuses, @Nullable String expectedBody,
        Map<String, String> headers, int healthyThreshold, int unhealthyThreshold, boolean startHealthy,
        @Nullable String check, Map<String, String> checkOptions) {

    /** No active checks. */
    public static final HealthCheckConfig NONE = new HealthCheckConfig(null, "GET", 0, Duration.ofSeconds(5), null,
            Duration.ofSeconds(2), "200-399", null, Map.of(), 2, 3, false, null, Map.of());

    /** The prefix of an {@link #expectedBody} that is a regular expression. */
    public static final String REGEX_PREFIX = "regex:";

    /**
     * Checks that {@code method}, {@code interval}, {@code timeout} and {@code expectedStatuses} are not null and
     * copies the maps, {@code headers} keeping its order; the copies are unmodifiable.
     *
     * @param path the path checked on each backend (after the backend URL's own path), or null for no HTTP check;
     *     default none
     * @param method the request method; default {@code GET}
     * @param port the port the check is sent to, such as a management port, or 0 for the backend's own; default 0
     * @param interval the time between two checks of a backend; default 5 s
     * @param jitter up to this much is added to each interval at random, so the checks of many gateways do not line up;
     *     default 10% of the interval
     * @param timeout the longest a check may take, connecting included; a check that takes longer fails; default 2 s
     * @param expectedStatuses the statuses that pass, as a comma-separated list of codes and ranges; default
     *     {@code 200-399}
     * @param expectedBody text the response body must contain for the check to pass, or {@code regex:} and a regular
     *     expression it must match somewhere; the first 64 KiB of the body are read; default none (the body is not
     *     read)
     * @param headers headers the check sends besides {@code User-Agent: Junction-HealthCheck}, which one of them may
     *     replace; default none
     * @param healthyThreshold passed checks in a row that bring a backend back; default 2
     * @param unhealthyThreshold failed checks in a row that take a backend out; default 3
     * @param startHealthy whether backends take traffic from the start; if false (the default), each backend takes
     *     traffic once its first check has passed, and the first checks start at once
     * @param check the check of one's own run instead of the HTTP request: a name registered on the Junction
     *     ({@code Junction.builder(config).healthCheck(name, check)}), a built-in name ({@code tcp}), or the class name
     *     of a {@link dev.junction.core.spi.HealthCheck}; null for the HTTP check; default none
     * @param checkOptions the options a check named by class is created with; default none
     */
    public HealthCheckConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(expectedStatuses, "expectedStatuses");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        checkOptions = Map.copyOf(checkOptions);
    }

    /** {@return whether active checks are on: a path or a check of one's own is set} */
    public boolean enabled() {
        return path != null || check != null;
    }

    /**
     * Returns what the body must match: the expression after {@link #REGEX_PREFIX}, or the text taken literally; null
     * if the body is not checked.
     *
     * @return the pattern to find in the body, or null
     * @throws java.util.regex.PatternSyntaxException if the expression is not valid
     */
    public @Nullable Pattern expectedBodyPattern() {
        if (expectedBody == null) {
            return null;
        }
        return expectedBody.startsWith(REGEX_PREFIX) ? Pattern.compile(expectedBody.substring(REGEX_PREFIX.length()))
                : Pattern.compile(Pattern.quote(expectedBody));
    }

    /** {@return the jitter in effect: the one set, or a tenth of the interval} */
    public Duration effectiveJitter() {
        return jitter != null ? jitter : interval.dividedBy(10);
    }

    /** {@return a builder starting from the defaults (no path: no checks)} */
    public static Builder builder() {
        return new Builder(NONE);
    }

    /** {@return a builder starting from this check, to derive another (a backend's own, say)} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link HealthCheckConfig}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String path;
        private String method;
        private int port;
        private Duration interval;
        private @Nullable Duration jitter;
        private Duration timeout;
        private String expectedStatuses;
        private @Nullable String expectedBody;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private int healthyThreshold;
        private int unhealthyThreshold;
        private boolean startHealthy;
        private @Nullable String check;
        private Map<String, String> checkOptions;

        private Builder(HealthCheckConfig from) {
            this.path = from.path;
            this.method = from.method;
            this.port = from.port;
            this.interval = from.interval;
            this.jitter = from.jitter;
            this.timeout = from.timeout;
            this.expectedStatuses = from.expectedStatuses;
            this.expectedBody = from.expectedBody;
            this.headers.putAll(from.headers);
            this.healthyThreshold = from.healthyThreshold;
            this.unhealthyThreshold = from.unhealthyThreshold;
            this.startHealthy = from.startHealthy;
            this.check = from.check;
            this.checkOptions = from.checkOptions;
        }

        /**
         * Sets {@link HealthCheckConfig#path()}.
         *
         * @param path the path checked on each backend (after the backend URL's own path); without one (the default)
         *     there is no HTTP check
         * @return this builder
         */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Sets {@link HealthCheckConfig#method()}.
         *
         * @param method the request method; default {@code GET}
         * @return this builder
         */
        public Builder method(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * Sends the check to this port instead of the backend's own (0).
         *
         * @param port the port, such as a management port, or 0 for the backend's own
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Runs a check of one's own instead of the HTTP request: a name registered on the Junction, a built-in name
         * ({@code tcp}), or the class name of a {@link dev.junction.core.spi.HealthCheck}. Junction then leaves path,
         * method, statuses, body and headers to it.
         *
         * @param check the check's registered name, built-in name or class name
         * @return this builder
         */
        public Builder check(String check) {
            return check(check, Map.of());
        }

        /**
         * As {@link #check(String)}, for a check named by class: created with these options.
         *
         * @param check the check's registered name, built-in name or class name
         * @param options the options a check named by class is created with
         * @return this builder
         */
        public Builder check(String check, Map<String, String> options) {
            this.check = Objects.requireNonNull(check, "check");
            this.checkOptions = Map.copyOf(options);
            return this;
        }

        /**
         * Sets {@link HealthCheckConfig#interval()}.
         *
         * @param interval the time between two checks of a backend; default 5 s
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Sets {@link HealthCheckConfig#jitter()}.
         *
         * @param jitter up to this much is added to each interval at random, so the checks of many gateways do not line
         *     up; without one, 10% of the interval
         * @return this builder
         */
        public Builder jitter(Duration jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /**
         * Sets {@link HealthCheckConfig#timeout()}.
         *
         * @param timeout the longest a check may take, connecting included; a check that takes longer fails; default 2
         *     s
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the passing statuses, e.g. {@code 200-299, 302}.
         *
         * @param expectedStatuses codes and ranges, as {@link StatusRanges} reads them
         * @return this builder
         */
        public Builder expectedStatuses(String expectedStatuses) {
            this.expectedStatuses = Objects.requireNonNull(expectedStatuses, "expectedStatuses");
            return this;
        }

        /**
         * Sets the text the body must contain, or {@code regex:} and an expression it must match.
         *
         * @param expectedBody the text, or {@value HealthCheckConfig#REGEX_PREFIX} and a regular expression
         * @return this builder
         */
        public Builder expectedBody(String expectedBody) {
            this.expectedBody = Objects.requireNonNull(expectedBody, "expectedBody");
            return this;
        }

        /**
         * Adds a header the check sends, replacing one of the same name added before; one named {@code User-Agent}
         * replaces Junction's.
         *
         * @param name the header's name
         * @param value the header's value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets {@link HealthCheckConfig#startHealthy()}.
         *
         * @param startHealthy whether backends take traffic from the start; if false (the default), each backend takes
         *     traffic once its first check has passed, and the first checks start at once
         * @return this builder
         */
        public Builder startHealthy(boolean startHealthy) {
            this.startHealthy = startHealthy;
            return this;
        }

        /**
         * Sets {@link HealthCheckConfig#healthyThreshold()}.
         *
         * @param healthyThreshold passed checks in a row that bring a backend back; default 2
         * @return this builder
         */
        public Builder healthyThreshold(int healthyThreshold) {
            this.healthyThreshold = healthyThreshold;
            return this;
        }

        /**
         * Sets {@link HealthCheckConfig#unhealthyThreshold()}.
         *
         * @param unhealthyThreshold failed checks in a row that take a backend out; default 3
         * @return this builder
         */
        public Builder unhealthyThreshold(int unhealthyThreshold) {
            this.unhealthyThreshold = unhealthyThreshold;
            return this;
        }

        /** {@return the health check, from this builder's settings} */
        public HealthCheckConfig build() {
            return new HealthCheckConfig(path, method, port, interval, jitter, timeout, expectedStatuses,
                    expectedBody, headers, healthyThreshold, unhealthyThreshold, startHealthy, check, checkOptions);
        }
    }
}
