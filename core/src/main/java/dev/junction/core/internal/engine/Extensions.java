package dev.junction.core.internal.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TlsConfig;
import dev.junction.core.internal.Plugins;
import dev.junction.core.internal.balance.Strategies;
import dev.junction.core.internal.health.TcpConnectCheck;
import dev.junction.core.spi.BackendTls;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;
import dev.junction.core.spi.KeyResolver;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.PriorityResolver;

/**
 * The extensions one Junction's configuration names, resolved when it is built: each route's strategy, and each
 * health check of one's own (a name registered on the Junction, a built-in name, or a class). Every name that cannot
 * be resolved is a problem with its path, reported together with the configuration's own problems, so a gateway
 * fails at start with the whole list.
 *
 * <p>Thread-safe.
 */
public final class Extensions {

    /** The built-in checks, by name. */
    private static final Map<String, HealthCheck> BUILT_IN_CHECKS = Map.of("tcp", new TcpConnectCheck());

    private final Strategies strategies;
    private final Map<String, HealthCheck> checks;
    private final List<LoadBalancer> routeStrategies;
    /** Each route's TLS towards its {@code https://} backends; null for a route with none. */
    private final List<@Nullable BackendTls> routeTls;
    /** The checks of one's own each check configuration runs, created once per configuration. */
    private final Map<HealthCheckConfig, HealthCheck> resolved = new ConcurrentHashMap<>();
    private final Map<String, KeyResolver> keyResolvers;
    private final Map<String, PriorityResolver> priorityResolvers;

    private Extensions(Strategies strategies, Map<String, HealthCheck> checks, List<LoadBalancer> routeStrategies,
            List<@Nullable BackendTls> routeTls, Map<String, KeyResolver> keyResolvers,
            Map<String, PriorityResolver> priorityResolvers) {
        this.strategies = strategies;
        this.checks = checks;
        this.routeStrategies = routeStrategies;
        this.routeTls = routeTls;
        this.keyResolvers = keyResolvers;
        this.priorityResolvers = priorityResolvers;
    }

    /**
     * Resolves every extension {@code config} names; adds each name that cannot be resolved to {@code problems}, with
     * its path (the result is then not to be used).
     *
     * @param checks the checks registered on the Junction, by name
     * @param keyResolvers the rate limits' key resolvers registered on the Junction, by name
     * @param priorityResolvers the queues' priority resolvers registered on the Junction, by name
     * @param environment where TLS key passwords named by environment variable are read ({@code System::getenv})
     * @throws IllegalArgumentException if a registered check's name is a built-in's
     */
    public static Extensions resolve(JunctionConfig config, Strategies strategies, Map<String, HealthCheck> checks,
            Map<String, KeyResolver> keyResolvers, Map<String, PriorityResolver> priorityResolvers,
            Function<String, @Nullable String> environment,
            List<ConfigProblem> problems) {
        for (String name : checks.keySet()) {
            if (BUILT_IN_CHECKS.containsKey(name)) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: not a built-in check's name)");
            }
        }
        Map<String, HealthCheck> named = new LinkedHashMap<>(BUILT_IN_CHECKS);
        named.putAll(checks);
        List<LoadBalancer> routeStrategies = new ArrayList<>();
        List<@Nullable BackendTls> routeTls = new ArrayList<>();
        Extensions extensions = new Extensions(strategies, Map.copyOf(named), routeStrategies, routeTls,
                Map.copyOf(keyResolvers), Map.copyOf(priorityResolvers));
        boolean shared = false;
        List<RouteConfig> routes = config.routes();
        for (int i = 0; i < routes.size(); i++) {
            RouteConfig route = routes.get(i);
            String path = "routes[" + i + "]";
            routeStrategies.add(strategies.tryCreate(route.strategy(), path + ".strategy", problems));
            routeTls.add(tls(route, path + ".tls", environment, problems));
            extensions.check(route.healthCheck(), path + ".healthCheck", problems);
            String priorities = route.queue().classResolver();
            if (priorities != null && !priorityResolvers.containsKey(priorities)) {
                problems.add(new ConfigProblem(path + ".queue.classResolver", unregistered("priority resolver",
                        priorities, priorityResolvers.keySet())));
            }
            for (int j = 0; j < route.rateLimits().size(); j++) {
                RateLimitConfig limit = route.rateLimits().get(j);
                shared |= limit.shared();
                String resolver = limit.keyName();
                if (limit.keyKind().equals(RateLimitConfig.RESOLVER_KEY) && resolver != null
                        && !keyResolvers.containsKey(resolver)) {
                    problems.add(new ConfigProblem(path + ".rateLimits[" + j + "].key", unregistered("key resolver",
                            resolver, keyResolvers.keySet())));
                }
            }
            for (int j = 0; j < route.backends().size(); j++) {
                BackendConfig backend = route.backends().get(j);
                HealthCheckConfig own = backend.healthCheck();
                // A backend's check that names the route's check of one's own was reported with the route.
                boolean inherited = own != null && Objects.equals(own.check(), route.healthCheck().check())
                        && own.checkOptions().equals(route.healthCheck().checkOptions());
                if (own != null && !inherited) {
                    extensions.check(backend.healthCheck(), path + ".backends[" + j + "].healthCheck", problems);
                }
            }
        }
        if (shared && config.sharedLimits().enabled() && !redisClientPresent()) {
            problems.add(new ConfigProblem("sharedLimits.redis", "needs io.lettuce:lettuce-core and"
                    + " com.bucket4j:bucket4j_jdk17-lettuce on the class path (optional dependencies of"
                    + " junction-core)"));
        }
        return extensions;
    }

    private static String unregistered(String kind, String name, Set<String> registered) {
        return "no " + kind + " named '" + name + "' is registered (registered: " + (registered.isEmpty() ? "none"
                : String.join(", ", new TreeSet<>(registered))) + ")";
    }

    /** Returns the priority resolver registered under {@code name}, or null for a null name. */
    @Nullable PriorityResolver priorityResolver(@Nullable String name) {
        return name == null ? null : priorityResolvers.get(name);
    }

    /** Returns whether the Redis client shared limits use can be loaded. */
    private static boolean redisClientPresent() {
        ClassLoader loader = Extensions.class.getClassLoader();
        try {
            Class.forName("io.lettuce.core.RedisClient", false, loader);
            Class.forName("io.github.bucket4j.redis.lettuce.Bucket4jLettuce", false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Returns the rate limits' key resolvers registered on the Junction, by name. */
    public Map<String, KeyResolver> keyResolvers() {
        return keyResolvers;
    }

    /**
     * Returns the TLS of a route that has {@code https://} backends or TLS settings of its own, reading its files; null
     * for a plain-HTTP route, or when a file cannot be used (a problem with its path).
     */
    private static @Nullable BackendTls tls(RouteConfig route, String path,
            Function<String, @Nullable String> environment, List<ConfigProblem> problems) {
        boolean https = route.backends().stream().anyMatch(backend -> backend.url().trim().regionMatches(true, 0,
                "https:", 0, 6));
        if (!https && route.tls().equals(TlsConfig.DEFAULT)) {
            return null;
        }
        return BackendTls.of(route.tls(), environment,
                (key, problem) -> problems.add(new ConfigProblem(path + "." + key, problem)));
    }

    /** Returns the TLS towards the {@code https://} backends of the route at {@code index}, or null for none. */
    public @Nullable BackendTls tls(int index) {
        return routeTls.get(index);
    }

    /** Returns the strategy of the route at {@code index}, created from its configuration. */
    public LoadBalancer strategy(int index) {
        return routeStrategies.get(index);
    }

    /** Returns every strategy name configuration can use. */
    public Set<String> strategyNames() {
        return strategies.names();
    }

    /**
     * Returns the check of one's own a configuration names, or null for the HTTP check. A name that cannot be resolved
     * (on a backend added at run time) gives a check that always fails, saying why.
     */
    @Nullable HealthCheck custom(HealthCheckConfig config) {
        if (config.check() == null) {
            return null;
        }
        List<ConfigProblem> problems = new ArrayList<>();
        HealthCheck created = check(config, "healthCheck", problems);
        if (created == null) {
            String why = problems.isEmpty() ? "cannot be created" : problems.get(0).toString();
            return (backend, check) -> CompletableFuture.completedFuture(HealthCheckResult.unhealthy(why));
        }
        return created;
    }

    private @Nullable HealthCheck check(HealthCheckConfig config, String path, List<ConfigProblem> problems) {
        String name = config.check();
        if (!config.enabled() || name == null) {
            return null;
        }
        HealthCheck existing = resolved.get(config);
        if (existing != null) {
            return existing;
        }
        HealthCheck check = checks.get(name.trim());
        if (check != null) {
            if (!config.checkOptions().isEmpty()) {
                problems.add(new ConfigProblem(path + ".options", "options are for a check named by class; '" + name
                        + "' is registered as it is"));
                return null;
            }
        } else if (name.indexOf('.') > 0) {
            check = Plugins.create(HealthCheck.class, name.trim(), config.checkOptions(), path + ".class", "",
                    problems);
        } else {
            problems.add(new ConfigProblem(path + ".check", "unknown '" + name + "'; known: "
                    + String.join(", ", new TreeSet<>(checks.keySet())) + ", or the class name of a "
                    + HealthCheck.class.getName()));
        }
        if (check != null) {
            resolved.putIfAbsent(config, check);
        }
        return check;
    }
}
