package dev.junction.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One route: the requests it takes (a path prefix), how their path is rewritten, and the backends and strategy that
 * serve them.
 *
 * <p>Immutable. Built with {@link #builder()}; checked as part of {@link JunctionConfig}.
 *
 * @param name a name unique among routes, used in logs, status and error bodies; default: the prefix
 * @param prefix the path prefix the route takes, matched segment by segment: {@code /api} matches {@code /api} and
 *     {@code /api/x}, never {@code /apix}; a trailing slash is ignored
 * @param stripPrefix whether the prefix is removed before forwarding ({@code /api/x} reaches the backend as
 *     {@code /x}); default false
 * @param rewrite a path that replaces the prefix before forwarding ({@code /v2} sends {@code /api/x} as
 *     {@code /v2/x}), or null to keep it; default null
 * @param backends the backends, at least one of them not a backup
 * @param strategy how a backend is chosen; default {@code round-robin}
 * @param whenAllDown what happens when no backend is available; default {@link WhenAllDown#FAIL}
 * @param timeouts how long the route waits for its backends; default {@link TimeoutConfig#DEFAULT}
 * @param preserveHost whether the backend gets the client's {@code Host} header; default false: the backend's own
 *     {@code host:port}
 * @param forwarded whether an RFC 7239 {@code Forwarded} header is added besides the {@code X-Forwarded-*} ones;
 *     default false
 * @param via whether {@code Via: 1.1 junction} is added to requests and responses (RFC 9110 §7.6.3); default false
 * @param trustedProxies addresses and CIDR ranges of the proxies in front of Junction whose forwarding headers are
 *     believed: a client's {@code Forwarded}, {@code X-Real-IP}, {@code X-Forwarded-Prefix}, {@code X-Original-URL}
 *     and {@code X-Rewrite-URL} reach the backend only from them, and address affinity reads the client behind them
 *     from {@code X-Forwarded-For}; default none
 * @param healthCheck the active health check of the route's backends; default none
 * @param outlierDetection how real traffic ejects failing backends; default off
 * @param panicThreshold below this share of healthy primaries (in percent, but above none), the route spreads its
 *     traffic over every primary not disabled, healthy or not, as Envoy's panic threshold; 0 for never; default 50
 * @param slowStart how a backend that comes back or is added ramps up to its full share; default none
 * @param circuitBreaker the circuit breakers of the route's backends; default none
 * @param retries how failed attempts are retried; default none (a backend never reached is still moved past)
 * @param fallback what the route answers when no backend is available; default {@link FallbackConfig#DEFAULT}
 * @param affinity how a client keeps reaching the same backend; default none
 * @param upgrades the protocols a client may switch to through the route ({@code Upgrade}, RFC 9110 §7.8): such a
 *     request becomes a tunnel to its backend once the backend answers {@code 101}; names are matched without case
 *     and without a version; {@code h2c} is never one (it is the hop's own business); default {@code [websocket]},
 *     empty for none (the upgrade fields are then dropped and the request forwarded as an ordinary one)
 * @param tls how the route's {@code https://} backends are reached and verified; default {@link TlsConfig#DEFAULT}: the
 *     JDK's trust store, no client certificate, the certificate checked against the backend's host
 * @param queue how requests wait when every backend is at its {@code maxConcurrent} limit; default
 *     {@link QueueConfig#NONE}: they get {@code 503} at once
 * @param rateLimits how many requests per time the route takes, per key; a request over any of them gets {@code 429};
 *     default none
 * @param adaptiveConcurrency how many of its requests may be in flight at once, found from the backends' latency;
 *     default {@link AdaptiveConcurrencyConfig#NONE}
 * @param match what the route takes besides its prefix: hosts, methods, headers, query parameters, client addresses;
 *     default {@link MatchConfig#NONE}: every request under the prefix
 * @param requestHeaders how the headers of requests to its backends are edited; default none
 * @param responseHeaders how the headers of its backends' responses are edited; default none
 * @param release how traffic is split between the release groups its backends name; default
 *     {@link ReleaseConfig#DEFAULT}: the baseline takes all of it
 * @param zoneAware whether the route prefers backends in the gateway's own zone; default
 *     {@link ZoneAwareConfig#NONE}
 * @param scaling when the route signals an autoscaler that it needs more backends or fewer; default
 *     {@link ScalingConfig#NONE}
 */
public record RouteConfig(
        String name,
        String prefix,
        boolean stripPrefix,
        @Nullable String rewrite,
        List<BackendConfig> backends,
        StrategyConfig strategy,
        WhenAllDown whenAllDown,
        TimeoutConfig timeouts,
        boolean preserveHost,
        boolean forwarded,
        boolean via,
        List<String> trustedProxies,
        HealthCheckConfig healthCheck,
        OutlierDetectionConfig outlierDetection,
        int panicThreshold,
        SlowStartConfig slowStart,
        BreakerConfig circuitBreaker,
        RetryConfig retries,
        FallbackConfig fallback,
        AffinityConfig affinity,
        List<String> upgrades,
        TlsConfig tls,
        QueueConfig queue,
        List<RateLimitConfig> rateLimits,
        AdaptiveConcurrencyConfig adaptiveConcurrency,
        MatchConfig match,
        HeaderRulesConfig requestHeaders,
        HeaderRulesConfig responseHeaders,
        ReleaseConfig release,
        ZoneAwareConfig zoneAware,
        ScalingConfig scaling) {

    /** The panic threshold when none is set, in percent: Envoy's. */
    public static final int DEFAULT_PANIC_THRESHOLD = 50;

    /** The protocols a route tunnels when none are set: WebSocket. */
    public static final List<String> DEFAULT_UPGRADES = List.of("websocket");

    /**
     * Checks that the components other than {@code rewrite} are not null and copies the lists, which are then
     * unmodifiable.
     *
     * @param name a name unique among routes, used in logs, status and error bodies; default: the prefix
     * @param prefix the path prefix the route takes, matched segment by segment: {@code /api} matches {@code /api} and
     *     {@code /api/x}, never {@code /apix}; a trailing slash is ignored
     * @param stripPrefix whether the prefix is removed before forwarding ({@code /api/x} reaches the backend as
     *     {@code /x}); default false
     * @param rewrite a path that replaces the prefix before forwarding ({@code /v2} sends {@code /api/x} as
     *     {@code /v2/x}), or null to keep it; default null
     * @param backends the backends, at least one of them not a backup
     * @param strategy how a backend is chosen; default {@code round-robin}
     * @param whenAllDown what happens when no backend is available; default {@link WhenAllDown#FAIL}
     * @param timeouts how long the route waits for its backends; default {@link TimeoutConfig#DEFAULT}
     * @param preserveHost whether the backend gets the client's {@code Host} header; default false: the backend's own
     *     {@code host:port}
     * @param forwarded whether an RFC 7239 {@code Forwarded} header is added besides the {@code X-Forwarded-*} ones;
     *     default false
     * @param via whether {@code Via: 1.1 junction} is added to requests and responses (RFC 9110 §7.6.3); default false
     * @param trustedProxies addresses and CIDR ranges of the proxies in front of Junction whose forwarding headers are
     *     believed: a client's {@code Forwarded}, {@code X-Real-IP}, {@code X-Forwarded-Prefix}, {@code X-Original-URL}
     *     and {@code X-Rewrite-URL} reach the backend only from them, and address affinity reads the client behind them
     *     from {@code X-Forwarded-For}; default none
     * @param healthCheck the active health check of the route's backends; default none
     * @param outlierDetection how real traffic ejects failing backends; default off
     * @param panicThreshold below this share of healthy primaries (in percent, but above none), the route spreads its
     *     traffic over every primary not disabled, healthy or not, as Envoy's panic threshold; 0 for never; default 50
     * @param slowStart how a backend that comes back or is added ramps up to its full share; default none
     * @param circuitBreaker the circuit breakers of the route's backends; default none
     * @param retries how failed attempts are retried; default none (a backend never reached is still moved past)
     * @param fallback what the route answers when no backend is available; default {@link FallbackConfig#DEFAULT}
     * @param affinity how a client keeps reaching the same backend; default none
     * @param upgrades the protocols a client may switch to through the route ({@code Upgrade}, RFC 9110 §7.8): such a
     *     request becomes a tunnel to its backend once the backend answers {@code 101}; names are matched without case
     *     and without a version; {@code h2c} is never one (it is the hop's own business); default {@code [websocket]},
     *     empty for none (the upgrade fields are then dropped and the request forwarded as an ordinary one)
     * @param tls how the route's {@code https://} backends are reached and verified; default {@link TlsConfig#DEFAULT}:
     *     the JDK's trust store, no client certificate, the certificate checked against the backend's host
     * @param queue how requests wait when every backend is at its {@code maxConcurrent} limit; default
     *     {@link QueueConfig#NONE}: they get {@code 503} at once
     * @param rateLimits how many requests per time the route takes, per key; a request over any of them gets
     *     {@code 429}; default none
     * @param adaptiveConcurrency how many of its requests may be in flight at once, found from the backends' latency;
     *     default {@link AdaptiveConcurrencyConfig#NONE}
     * @param match what the route takes besides its prefix: hosts, methods, headers, query parameters, client
     *     addresses; default {@link MatchConfig#NONE}: every request under the prefix
     * @param requestHeaders how the headers of requests to its backends are edited; default none
     * @param responseHeaders how the headers of its backends' responses are edited; default none
     * @param release how traffic is split between the release groups its backends name; default
     *     {@link ReleaseConfig#DEFAULT}: the baseline takes all of it
     * @param zoneAware whether the route prefers backends in the gateway's own zone; default
     *     {@link ZoneAwareConfig#NONE}
     * @param scaling when the route signals an autoscaler that it needs more backends or fewer; default
     *     {@link ScalingConfig#NONE}
     */
    public RouteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
        backends = List.copyOf(backends);
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(whenAllDown, "whenAllDown");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(slowStart, "slowStart");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(affinity, "affinity");
        upgrades = List.copyOf(upgrades);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(queue, "queue");
        rateLimits = List.copyOf(rateLimits);
        Objects.requireNonNull(adaptiveConcurrency, "adaptiveConcurrency");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(responseHeaders, "responseHeaders");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(zoneAware, "zoneAware");
        Objects.requireNonNull(scaling, "scaling");
    }

    /**
     * {@return this route with {@code backends} instead of its own}
     *
     * @param backends the backends
     */
    public RouteConfig withBackends(List<BackendConfig> backends) {
        return new RouteConfig(name, prefix, stripPrefix, rewrite, backends, strategy, whenAllDown, timeouts,
                preserveHost, forwarded, via, trustedProxies, healthCheck, outlierDetection, panicThreshold,
                slowStart, circuitBreaker, retries, fallback, affinity, upgrades, tls, queue, rateLimits,
                adaptiveConcurrency, match, requestHeaders, responseHeaders, release, zoneAware, scaling);
    }

    /**
     * {@return this route with {@code retries} instead of its own}
     *
     * @param retries how failed attempts are retried
     */
    public RouteConfig withRetries(RetryConfig retries) {
        return new RouteConfig(name, prefix, stripPrefix, rewrite, backends, strategy, whenAllDown, timeouts,
                preserveHost, forwarded, via, trustedProxies, healthCheck, outlierDetection, panicThreshold,
                slowStart, circuitBreaker, retries, fallback, affinity, upgrades, tls, queue, rateLimits,
                adaptiveConcurrency, match, requestHeaders, responseHeaders, release, zoneAware, scaling);
    }

    /** {@return the release groups its backends name, in the order they first appear; empty for none} */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (BackendConfig backend : backends) {
            if (backend.group() != null && !groups.contains(backend.group())) {
                groups.add(backend.group());
            }
        }
        return groups;
    }

    /** {@return a new builder; {@link Builder#prefix(String)} and at least one backend are required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link RouteConfig}. Not thread-safe; {@link #build()} copies, so a reused builder changes nothing
     * built.
     */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable String prefix;
        private boolean stripPrefix;
        private @Nullable String rewrite;
        private final List<BackendConfig> backends = new ArrayList<>();
        private StrategyConfig strategy = StrategyConfig.DEFAULT;
        private WhenAllDown whenAllDown = WhenAllDown.FAIL;
        private TimeoutConfig timeouts = TimeoutConfig.DEFAULT;
        private boolean preserveHost;
        private boolean forwarded;
        private boolean via;
        private List<String> trustedProxies = List.of();
        private HealthCheckConfig healthCheck = HealthCheckConfig.NONE;
        private OutlierDetectionConfig outlierDetection = OutlierDetectionConfig.NONE;
        private int panicThreshold = DEFAULT_PANIC_THRESHOLD;
        private SlowStartConfig slowStart = SlowStartConfig.NONE;
        private BreakerConfig circuitBreaker = BreakerConfig.NONE;
        private RetryConfig retries = RetryConfig.NONE;
        private FallbackConfig fallback = FallbackConfig.DEFAULT;
        private AffinityConfig affinity = AffinityConfig.NONE;
        private List<String> upgrades = DEFAULT_UPGRADES;
        private TlsConfig tls = TlsConfig.DEFAULT;
        private QueueConfig queue = QueueConfig.NONE;
        private final List<RateLimitConfig> rateLimits = new ArrayList<>();
        private AdaptiveConcurrencyConfig adaptiveConcurrency = AdaptiveConcurrencyConfig.NONE;
        private MatchConfig match = MatchConfig.NONE;
        private HeaderRulesConfig requestHeaders = HeaderRulesConfig.NONE;
        private HeaderRulesConfig responseHeaders = HeaderRulesConfig.NONE;
        private ReleaseConfig release = ReleaseConfig.DEFAULT;
        private ZoneAwareConfig zoneAware = ZoneAwareConfig.NONE;
        private ScalingConfig scaling = ScalingConfig.NONE;

        private Builder() {
        }

        /**
         * Sets {@link RouteConfig#name()}.
         *
         * @param name a name unique among routes, used in logs, status and error bodies; without one, {@link #build()}
         *     takes the prefix
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Sets {@link RouteConfig#prefix()}.
         *
         * @param prefix the path prefix the route takes, matched segment by segment: {@code /api} matches {@code /api}
         *     and {@code /api/x}, never {@code /apix}; a trailing slash is ignored
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Sets {@link RouteConfig#stripPrefix()}.
         *
         * @param stripPrefix whether the prefix is removed before forwarding ({@code /api/x} reaches the backend as
         *     {@code /x}); default false
         * @return this builder
         */
        public Builder stripPrefix(boolean stripPrefix) {
            this.stripPrefix = stripPrefix;
            return this;
        }

        /**
         * Sets {@link RouteConfig#rewrite()}.
         *
         * @param rewrite a path that replaces the prefix before forwarding ({@code /v2} sends {@code /api/x} as
         *     {@code /v2/x}), or null to keep it; default null
         * @return this builder
         */
        public Builder rewrite(@Nullable String rewrite) {
            this.rewrite = rewrite;
            return this;
        }

        /**
         * Adds a backend after those already added.
         *
         * @param backend the backend
         * @return this builder
         */
        public Builder backend(BackendConfig backend) {
            backends.add(Objects.requireNonNull(backend, "backend"));
            return this;
        }

        /**
         * Adds a backend at this URL with default properties ({@link BackendConfig#of(String)}).
         *
         * @param url the backend's base URL
         * @return this builder
         */
        public Builder backend(String url) {
            return backend(BackendConfig.of(url));
        }

        /**
         * Adds backends, in order, after those already added.
         *
         * @param backends the backends
         * @return this builder
         */
        public Builder backends(List<BackendConfig> backends) {
            backends.forEach(this::backend);
            return this;
        }

        /**
         * Sets {@link RouteConfig#strategy()}.
         *
         * @param strategy how a backend is chosen; default {@code round-robin}
         * @return this builder
         */
        public Builder strategy(StrategyConfig strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Sets the strategy by name, with no options.
         *
         * @param name the strategy's name, such as {@code least-connections}
         * @return this builder
         */
        public Builder strategy(String name) {
            return strategy(StrategyConfig.of(name));
        }

        /**
         * Sets {@link RouteConfig#whenAllDown()}.
         *
         * @param whenAllDown what happens when no backend is available; default {@link WhenAllDown#FAIL}
         * @return this builder
         */
        public Builder whenAllDown(WhenAllDown whenAllDown) {
            this.whenAllDown = Objects.requireNonNull(whenAllDown, "whenAllDown");
            return this;
        }

        /**
         * Sets {@link RouteConfig#timeouts()}.
         *
         * @param timeouts how long the route waits for its backends; default {@link TimeoutConfig#DEFAULT}
         * @return this builder
         */
        public Builder timeouts(TimeoutConfig timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /**
         * Sets {@link RouteConfig#preserveHost()}.
         *
         * @param preserveHost whether the backend gets the client's {@code Host} header; default false: the backend's
         *     own {@code host:port}
         * @return this builder
         */
        public Builder preserveHost(boolean preserveHost) {
            this.preserveHost = preserveHost;
            return this;
        }

        /**
         * Sets {@link RouteConfig#forwarded()}.
         *
         * @param forwarded whether an RFC 7239 {@code Forwarded} header is added besides the {@code X-Forwarded-*}
         *     ones; default false
         * @return this builder
         */
        public Builder forwarded(boolean forwarded) {
            this.forwarded = forwarded;
            return this;
        }

        /**
         * Sets {@link RouteConfig#via()}.
         *
         * @param via whether {@code Via: 1.1 junction} is added to requests and responses (RFC 9110 §7.6.3); default
         *     false
         * @return this builder
         */
        public Builder via(boolean via) {
            this.via = via;
            return this;
        }

        /**
         * Sets {@link RouteConfig#trustedProxies()}.
         *
         * @param trustedProxies addresses and CIDR ranges of the proxies in front of Junction whose forwarding headers
         *     are believed: a client's {@code Forwarded}, {@code X-Real-IP}, {@code X-Forwarded-Prefix},
         *     {@code X-Original-URL} and {@code X-Rewrite-URL} reach the backend only from them, and address affinity
         *     reads the client behind them from {@code X-Forwarded-For}; default none
         * @return this builder
         */
        public Builder trustedProxies(List<String> trustedProxies) {
            this.trustedProxies = List.copyOf(trustedProxies);
            return this;
        }

        /**
         * Sets {@link RouteConfig#healthCheck()}.
         *
         * @param healthCheck the active health check of the route's backends; default none
         * @return this builder
         */
        public Builder healthCheck(HealthCheckConfig healthCheck) {
            this.healthCheck = Objects.requireNonNull(healthCheck, "healthCheck");
            return this;
        }

        /**
         * Sets the panic threshold in percent; 0 turns panic off.
         *
         * @param panicThreshold the share of healthy primaries, in percent, below which the route panics; default
         *     {@value RouteConfig#DEFAULT_PANIC_THRESHOLD}
         * @return this builder
         */
        public Builder panicThreshold(int panicThreshold) {
            this.panicThreshold = panicThreshold;
            return this;
        }

        /**
         * Sets {@link RouteConfig#circuitBreaker()}.
         *
         * @param circuitBreaker the circuit breakers of the route's backends; default none
         * @return this builder
         */
        public Builder circuitBreaker(BreakerConfig circuitBreaker) {
            this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
            return this;
        }

        /**
         * Sets {@link RouteConfig#retries()}.
         *
         * @param retries how failed attempts are retried; default none (a backend never reached is still moved past)
         * @return this builder
         */
        public Builder retries(RetryConfig retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        /**
         * Sets {@link RouteConfig#affinity()}.
         *
         * @param affinity how a client keeps reaching the same backend; default none
         * @return this builder
         */
        public Builder affinity(AffinityConfig affinity) {
            this.affinity = Objects.requireNonNull(affinity, "affinity");
            return this;
        }

        /**
         * Sets the protocols a client may switch to through the route; empty for none.
         *
         * @param upgrades the protocols' names, such as {@code websocket}; default {@link RouteConfig#DEFAULT_UPGRADES}
         * @return this builder
         */
        public Builder upgrades(List<String> upgrades) {
            this.upgrades = List.copyOf(upgrades);
            return this;
        }

        /**
         * Lets requests wait for a backend when every one is at its {@code maxConcurrent} limit.
         *
         * @param queue the route's queue; default {@link QueueConfig#NONE}
         * @return this builder
         */
        public Builder queue(QueueConfig queue) {
            this.queue = Objects.requireNonNull(queue, "queue");
            return this;
        }

        /**
         * Adds a rate limit; a request over any of the route's limits gets {@code 429}.
         *
         * @param limit the rate limit
         * @return this builder
         */
        public Builder rateLimit(RateLimitConfig limit) {
            rateLimits.add(Objects.requireNonNull(limit, "limit"));
            return this;
        }

        /**
         * Sets {@link RouteConfig#adaptiveConcurrency()}.
         *
         * @param adaptiveConcurrency how many of its requests may be in flight at once, found from the backends'
         *     latency; default {@link AdaptiveConcurrencyConfig#NONE}
         * @return this builder
         */
        public Builder adaptiveConcurrency(AdaptiveConcurrencyConfig adaptiveConcurrency) {
            this.adaptiveConcurrency = Objects.requireNonNull(adaptiveConcurrency, "adaptiveConcurrency");
            return this;
        }

        /**
         * Sets what the route takes besides its prefix.
         *
         * @param match the conditions; default {@link MatchConfig#NONE}
         * @return this builder
         */
        public Builder match(MatchConfig match) {
            this.match = Objects.requireNonNull(match, "match");
            return this;
        }

        /**
         * Sets how the headers of requests to the route's backends are edited.
         *
         * @param requestHeaders the rules; default {@link HeaderRulesConfig#NONE}
         * @return this builder
         */
        public Builder requestHeaders(HeaderRulesConfig requestHeaders) {
            this.requestHeaders = Objects.requireNonNull(requestHeaders, "requestHeaders");
            return this;
        }

        /**
         * Sets how the headers of the route's backends' responses are edited.
         *
         * @param responseHeaders the rules; default {@link HeaderRulesConfig#NONE}
         * @return this builder
         */
        public Builder responseHeaders(HeaderRulesConfig responseHeaders) {
            this.responseHeaders = Objects.requireNonNull(responseHeaders, "responseHeaders");
            return this;
        }

        /**
         * Sets how traffic is split between the release groups the backends name.
         *
         * @param release the split; default {@link ReleaseConfig#DEFAULT}
         * @return this builder
         */
        public Builder release(ReleaseConfig release) {
            this.release = Objects.requireNonNull(release, "release");
            return this;
        }

        /**
         * Sets when the route signals an autoscaler; default {@link ScalingConfig#NONE}.
         *
         * @param scaling when the route signals an autoscaler
         * @return this builder
         */
        public Builder scaling(ScalingConfig scaling) {
            this.scaling = Objects.requireNonNull(scaling, "scaling");
            return this;
        }

        /**
         * Sets whether the route prefers backends in the gateway's own zone ({@code client.zone}); default
         * {@link ZoneAwareConfig#NONE}.
         *
         * @param zoneAware whether and how the route prefers its own zone
         * @return this builder
         */
        public Builder zoneAware(ZoneAwareConfig zoneAware) {
            this.zoneAware = Objects.requireNonNull(zoneAware, "zoneAware");
            return this;
        }

        /**
         * Adds rate limits, in order, after those already added.
         *
         * @param limits the rate limits
         * @return this builder
         */
        public Builder rateLimits(List<RateLimitConfig> limits) {
            limits.forEach(this::rateLimit);
            return this;
        }

        /**
         * Sets {@link RouteConfig#tls()}.
         *
         * @param tls how the route's {@code https://} backends are reached and verified; default
         *     {@link TlsConfig#DEFAULT}: the JDK's trust store, no client certificate, the certificate checked against
         *     the backend's host
         * @return this builder
         */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Sets {@link RouteConfig#fallback()}.
         *
         * @param fallback what the route answers when no backend is available; default {@link FallbackConfig#DEFAULT}
         * @return this builder
         */
        public Builder fallback(FallbackConfig fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /**
         * Sets {@link RouteConfig#slowStart()}.
         *
         * @param slowStart how a backend that comes back or is added ramps up to its full share; default none
         * @return this builder
         */
        public Builder slowStart(SlowStartConfig slowStart) {
            this.slowStart = Objects.requireNonNull(slowStart, "slowStart");
            return this;
        }

        /**
         * Sets {@link RouteConfig#outlierDetection()}.
         *
         * @param outlierDetection how real traffic ejects failing backends; default off
         * @return this builder
         */
        public Builder outlierDetection(OutlierDetectionConfig outlierDetection) {
            this.outlierDetection = Objects.requireNonNull(outlierDetection, "outlierDetection");
            return this;
        }

        /**
         * Returns the route.
         *
         * @return the route, named after its prefix unless a name was set
         * @throws IllegalStateException if no prefix was given
         */
        public RouteConfig build() {
            if (prefix == null) {
                throw new IllegalStateException("prefix: not set (expected: a path such as /api)");
            }
            return new RouteConfig(name != null ? name : prefix, prefix, stripPrefix, rewrite, backends, strategy,
                    whenAllDown, timeouts, preserveHost, forwarded, via, trustedProxies, healthCheck, outlierDetection,
                    panicThreshold, slowStart, circuitBreaker, retries, fallback, affinity, upgrades, tls, queue,
                    rateLimits, adaptiveConcurrency, match, requestHeaders, responseHeaders, release,
                    zoneAware, scaling);
        }
    }
}
