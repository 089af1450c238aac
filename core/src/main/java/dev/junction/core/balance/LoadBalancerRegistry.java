package dev.junction.core.balance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.Plugins;
import dev.junction.core.config.StrategyConfig;

/**
 * The strategies configuration can name: the built-ins, those registered with {@link #register}, those found through
 * {@link LoadBalancerProvider} and {@link java.util.ServiceLoader}, and any {@link LoadBalancer} class named by its
 * fully qualified name.
 *
 * <p>Thread-safe. Registration is global to the class loader, like {@code ServiceLoader}; register before building
 * a configuration that uses the name.
 */
public final class LoadBalancerRegistry {

    private static final Map<String, LoadBalancerFactory> FACTORIES = new ConcurrentHashMap<>();
    private static final Set<String> BUILT_IN;

    static {
        FACTORIES.put("round-robin", noOptions("round-robin", LoadBalancer::roundRobin));
        FACTORIES.put("weighted-round-robin", noOptions("weighted-round-robin", LoadBalancer::weightedRoundRobin));
        FACTORIES.put("least-connections", LeastConnectionsLoadBalancer::fromOptions);
        FACTORIES.put("random", noOptions("random", () -> LoadBalancer.random(RandomSource.threadLocal())));
        FACTORIES.put("weighted-random",
                noOptions("weighted-random", () -> LoadBalancer.weightedRandom(RandomSource.threadLocal())));
        FACTORIES.put("power-of-two-choices",
                noOptions("power-of-two-choices", () -> LoadBalancer.powerOfTwoChoices(RandomSource.threadLocal())));
        FACTORIES.put("ip-hash", noOptions("ip-hash", LoadBalancer::ipHash));
        FACTORIES.put("consistent-hash", ConsistentHashLoadBalancer::fromOptions);
        FACTORIES.put("least-response-time", LeastResponseTimeLoadBalancer::fromOptions);
        BUILT_IN = Set.copyOf(FACTORIES.keySet());
        for (LoadBalancerProvider provider : ServiceLoader.load(LoadBalancerProvider.class,
                LoadBalancerRegistry.class.getClassLoader())) {
            FACTORIES.putIfAbsent(provider.name(), provider);
        }
    }

    private LoadBalancerRegistry() {
    }

    /**
     * Makes a strategy available under a name.
     *
     * @throws IllegalArgumentException if the name is a built-in's, is taken, or is not a plain lower-case name
     */
    public static void register(String name, LoadBalancerFactory factory) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: lower-case letters, digits and '-')");
        }
        if (FACTORIES.putIfAbsent(name, factory) != null) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a name not already registered)");
        }
    }

    /**
     * Removes a name registered with {@link #register}.
     *
     * @return whether the name was registered
     * @throws IllegalArgumentException for a built-in name
     */
    public static boolean unregister(String name) {
        if (BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: not a built-in strategy)");
        }
        return FACTORIES.remove(name) != null;
    }

    /** Returns every name configuration can use, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(FACTORIES.keySet());
    }

    /**
     * Returns a new strategy as configured.
     *
     * @throws IllegalArgumentException if the strategy is unknown or an option is invalid; validated configurations
     *     never cause this
     */
    public static LoadBalancer create(StrategyConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        LoadBalancer balancer = tryCreate(config, "strategy", problems);
        if (balancer == null) {
            throw new IllegalArgumentException(problems.get(0).toString());
        }
        return balancer;
    }

    /**
     * Creates the strategy, or adds the reasons it cannot be created to {@code problems}, with paths under
     * {@code path}.
     */
    public static @Nullable LoadBalancer tryCreate(StrategyConfig config, String path, List<ConfigProblem> problems) {
        String name = config.name().trim();
        LoadBalancerFactory factory = FACTORIES.get(name);
        try {
            if (factory != null) {
                return factory.create(config.options());
            }
            if (name.indexOf('.') > 0) {
                return Plugins.create(LoadBalancer.class, name, config.options(), path,
                        "; known names: " + String.join(", ", names()), problems);
            }
            problems.add(new ConfigProblem(path, "unknown '" + name + "'; known: " + String.join(", ", names())
                    + ", or the class name of a " + LoadBalancer.class.getName()));
        } catch (InvalidOptionException e) {
            problems.add(new ConfigProblem(path + "." + e.option(), e.problem()));
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(path, "strategy '" + name + "' could not be created: " + e));
        }
        return null;
    }

    private static LoadBalancerFactory noOptions(String name, Supplier<LoadBalancer> supplier) {
        return options -> {
            if (!options.isEmpty()) {
                String option = new TreeSet<>(options.keySet()).first();
                throw new InvalidOptionException(option, "unknown option (strategy " + name + " takes none)");
            }
            return supplier.get();
        };
    }
}
