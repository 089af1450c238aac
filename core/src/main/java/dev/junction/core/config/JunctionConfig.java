package dev.junction.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The whole configuration of a Junction gateway: its routes, in the order given.
 *
 * <p>Immutable and always valid: {@link Builder#build()}, {@link YamlConfigLoader} and {@link FlatConfigLoader} all
 * end in the same validation and throw one {@link ConfigException} listing every problem.
 *
 * <pre>{@code
 * JunctionConfig config = JunctionConfig.builder()
 *         .route(RouteConfig.builder()
 *                 .prefix("/api")
 *                 .backend(BackendConfig.builder().url("http://10.0.0.1:8080").weight(3).build())
 *                 .backend("http://10.0.0.2:8080")
 *                 .strategy("weighted-round-robin")
 *                 .build())
 *         .build();
 * }</pre>
 *
 * @param routes the routes; a request goes to the route with the longest matching prefix
 * @param client the HTTP client towards the backends; default {@link ClientConfig#DEFAULT}
 * @param limits limits on what clients may send; default {@link LimitsConfig#DEFAULT}
 * @param admin the admin endpoint; default {@link AdminConfig#DISABLED}
 * @param accessLog the access log; default {@link AccessLogConfig#DISABLED}
 * @param sharedLimits where the routes' {@code shared} rate limits keep their buckets; default
 *     {@link SharedLimitsConfig#NONE}
 * @param cluster the worker processes Junction runs and balances over; default {@link ClusterConfig#NONE}
 */
public record JunctionConfig(List<RouteConfig> routes, ClientConfig client, LimitsConfig limits, AdminConfig admin,
        AccessLogConfig accessLog, SharedLimitsConfig sharedLimits, ClusterConfig cluster) {

    /** The name of the route a cluster's workers serve when the configuration has no route: {@code /}. */
    public static final String WORKERS_ROUTE = "workers";

    /**
     * Checks that the sections are not null and copies {@code routes}, which is then unmodifiable.
     *
     * @param routes the routes; a request goes to the route with the longest matching prefix
     * @param client the HTTP client towards the backends; default {@link ClientConfig#DEFAULT}
     * @param limits limits on what clients may send; default {@link LimitsConfig#DEFAULT}
     * @param admin the admin endpoint; default {@link AdminConfig#DISABLED}
     * @param accessLog the access log; default {@link AccessLogConfig#DISABLED}
     * @param sharedLimits where the routes' {@code shared} rate limits keep their buckets; default
     *     {@link SharedLimitsConfig#NONE}
     * @param cluster the worker processes Junction runs and balances over; default {@link ClusterConfig#NONE}
     */
    public JunctionConfig {
        routes = List.copyOf(routes);
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(sharedLimits, "sharedLimits");
        Objects.requireNonNull(cluster, "cluster");
    }

    /**
     * Makes a configuration without worker processes.
     *
     * @param routes the routes
     * @param client the HTTP client towards the backends
     * @param limits limits on what clients may send
     * @param admin the admin endpoint
     * @param accessLog the access log
     * @param sharedLimits where the routes' {@code shared} rate limits keep their buckets
     */
    public JunctionConfig(List<RouteConfig> routes, ClientConfig client, LimitsConfig limits, AdminConfig admin,
            AccessLogConfig accessLog, SharedLimitsConfig sharedLimits) {
        this(routes, client, limits, admin, accessLog, sharedLimits, ClusterConfig.NONE);
    }

    /**
     * Makes a configuration whose rate limits are all local, without worker processes.
     *
     * @param routes the routes
     * @param client the HTTP client towards the backends
     * @param limits limits on what clients may send
     * @param admin the admin endpoint
     * @param accessLog the access log
     */
    public JunctionConfig(List<RouteConfig> routes, ClientConfig client, LimitsConfig limits, AdminConfig admin,
            AccessLogConfig accessLog) {
        this(routes, client, limits, admin, accessLog, SharedLimitsConfig.NONE);
    }

    /**
     * {@return this configuration with {@code accessLog}}
     *
     * @param accessLog the access log
     */
    public JunctionConfig withAccessLog(AccessLogConfig accessLog) {
        return new JunctionConfig(routes, client, limits, admin, accessLog, sharedLimits, cluster);
    }

    /** {@return the routes whose backends are the cluster's workers; empty without a cluster} */
    public List<RouteConfig> clusterRoutes() {
        return routes.stream().filter(cluster::serves).toList();
    }

    /**
     * What a route the workers serve retries when it says nothing of retries: a request whose worker died (refused,
     * or reset before the response head) goes to another, as nginx's {@code proxy_next_upstream error} does by
     * default, so a worker killed or restarted costs idempotent requests no error.
     */
    public static final RetryConfig WORKER_RETRIES = RetryConfig.builder().maxAttempts(3)
            .retryOn(Set.of(RetryConfig.RetryOn.CONNECT_FAILURE, RetryConfig.RetryOn.RESET)).build();

    /**
     * Returns {@code routes} as a cluster serves them: with one route {@value #WORKERS_ROUTE} at {@code /} when there
     * is none, and {@link #WORKER_RETRIES} on each route the workers serve that has no retries of its own.
     */
    static List<RouteConfig> forCluster(List<RouteConfig> routes, ClusterConfig cluster) {
        if (!cluster.enabled()) {
            return routes;
        }
        List<RouteConfig> served = routes.isEmpty()
                ? List.of(RouteConfig.builder().name(WORKERS_ROUTE).prefix("/").build()) : routes;
        return served.stream().map(route -> cluster.serves(route) && route.retries().equals(RetryConfig.NONE)
                ? route.withRetries(WORKER_RETRIES) : route).toList();
    }
    /**
     * Makes a configuration without an access log, whose rate limits are all local, without worker processes.
     *
     * @param routes the routes
     * @param client the HTTP client towards the backends
     * @param limits limits on what clients may send
     * @param admin the admin endpoint
     */
    public JunctionConfig(List<RouteConfig> routes, ClientConfig client, LimitsConfig limits, AdminConfig admin) {
        this(routes, client, limits, admin, AccessLogConfig.DISABLED);
    }

    /**
     * Makes a configuration of these routes with the default client and limits and nothing else.
     *
     * @param routes the routes
     */
    public JunctionConfig(List<RouteConfig> routes) {
        this(routes, ClientConfig.DEFAULT, LimitsConfig.DEFAULT, AdminConfig.DISABLED);
    }

    /**
     * Makes a configuration with the given client and limits and no admin endpoint, access log, shared limits or
     * worker processes.
     *
     * @param routes the routes
     * @param client the HTTP client towards the backends
     * @param limits limits on what clients may send
     */
    public JunctionConfig(List<RouteConfig> routes, ClientConfig client, LimitsConfig limits) {
        this(routes, client, limits, AdminConfig.DISABLED);
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link JunctionConfig}. Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private final List<RouteConfig> routes = new ArrayList<>();
        private ClientConfig client = ClientConfig.DEFAULT;
        private LimitsConfig limits = LimitsConfig.DEFAULT;
        private AdminConfig admin = AdminConfig.DISABLED;
        private AccessLogConfig accessLog = AccessLogConfig.DISABLED;
        private SharedLimitsConfig sharedLimits = SharedLimitsConfig.NONE;
        private ClusterConfig cluster = ClusterConfig.NONE;

        private Builder() {
        }

        /**
         * Adds a route after those already added.
         *
         * @param route the route
         * @return this builder
         */
        public Builder route(RouteConfig route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /**
         * Adds routes, in order, after those already added.
         *
         * @param routes the routes
         * @return this builder
         */
        public Builder routes(List<RouteConfig> routes) {
            routes.forEach(this::route);
            return this;
        }

        /**
         * Sets {@link JunctionConfig#client()}.
         *
         * @param client the HTTP client towards the backends; default {@link ClientConfig#DEFAULT}
         * @return this builder
         */
        public Builder client(ClientConfig client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Sets {@link JunctionConfig#limits()}.
         *
         * @param limits limits on what clients may send; default {@link LimitsConfig#DEFAULT}
         * @return this builder
         */
        public Builder limits(LimitsConfig limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets {@link JunctionConfig#admin()}.
         *
         * @param admin the admin endpoint; default {@link AdminConfig#DISABLED}
         * @return this builder
         */
        public Builder admin(AdminConfig admin) {
            this.admin = Objects.requireNonNull(admin, "admin");
            return this;
        }

        /**
         * Sets {@link JunctionConfig#accessLog()}.
         *
         * @param accessLog the access log; default {@link AccessLogConfig#DISABLED}
         * @return this builder
         */
        public Builder accessLog(AccessLogConfig accessLog) {
            this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
            return this;
        }

        /**
         * Sets {@link JunctionConfig#sharedLimits()}.
         *
         * @param sharedLimits where the routes' {@code shared} rate limits keep their buckets; default
         *     {@link SharedLimitsConfig#NONE}
         * @return this builder
         */
        public Builder sharedLimits(SharedLimitsConfig sharedLimits) {
            this.sharedLimits = Objects.requireNonNull(sharedLimits, "sharedLimits");
            return this;
        }

        /**
         * Sets the worker processes Junction runs; with no route given, their route is {@code /}, named
         * {@value JunctionConfig#WORKERS_ROUTE}. The routes the workers serve that have no retries of their own get
         * {@link JunctionConfig#WORKER_RETRIES}.
         *
         * @param cluster the worker processes; default {@link ClusterConfig#NONE}
         * @return this builder
         */
        public Builder cluster(ClusterConfig cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /**
         * Returns the validated configuration.
         *
         * @return the configuration, its routes as the cluster (if any) serves them
         * @throws ConfigException listing every problem, if the configuration is invalid
         */
        public JunctionConfig build() {
            JunctionConfig config = new JunctionConfig(forCluster(routes, cluster), client, limits, admin,
                    accessLog, sharedLimits, cluster);
            Validator.check(config, List.of());
            return config;
        }
    }
}
