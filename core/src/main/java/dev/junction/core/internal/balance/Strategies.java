package dev.junction.core.internal.balance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.StrategyConfig;
import dev.junction.core.internal.Plugins;
import dev.junction.core.spi.InvalidOptionException;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.LoadBalancerFactory;
import dev.junction.core.spi.LoadBalancerProvider;

/**
 * The strategies one Junction's configuration can name: the built-ins, those registered on its builder, those found
 * through {@link LoadBalancerProvider} and {@link ServiceLoader}, and any {@link LoadBalancer} class named by its
 * fully qualified name. Each Junction has its own: two gateways in one JVM never see each other's registrations.
 *
 * <p>Immutable and thread-safe.
 */
public final class Strategies {

    private static final Map<String, LoadBalancerFactory> BUILT_IN = builtIns();

    private final Map<String, LoadBalancerFactory> factories;

    private Strategies(Map<String, LoadBalancerFactory> factories) {
        this.factories = factories;
    }

    private static Map<String, LoadBalancerFactory> builtIns() {
        Map<String, LoadBalancerFactory> builtIn = new LinkedHashMap<>();
        builtIn.put("round-robin", noOptions("round-robin", BuiltIns::roundRobin));
        builtIn.put("weighted-round-robin", noOptions("weighted-round-robin", BuiltIns::weightedRoundRobin));
        builtIn.put("least-connections", LeastConnectionsLoadBalancer::fromOptions);
        builtIn.put("random", noOptions("random", () -> BuiltIns.random(RandomSource.threadLocal())));
        builtIn.put("weighted-random",
                noOptions("weighted-random", () -> BuiltIns.weightedRandom(RandomSource.threadLocal())));
        builtIn.put("power-of-two-choices",
                noOptions("power-of-two-choices", () -> BuiltIns.powerOfTwoChoices(RandomSource.threadLocal())));
        builtIn.put("ip-hash", noOptions("ip-hash", BuiltIns::ipHash));
        builtIn.put("consistent-hash", ConsistentHashLoadBalancer::fromOptions);
        builtIn.put("least-response-time", LeastResponseTimeLoadBalancer::fromOptions);
        return Collections.unmodifiableMap(builtIn);
    }

    /** Returns the built-ins alone. */
    public static Strategies builtIn() {
        return new Strategies(BUILT_IN);
    }

    /**
     * Returns the built-ins, the providers {@code loader} finds, and {@code registered}; a registered name takes
     * precedence over a provider's.
     *
     * @throws IllegalArgumentException if a registered name is a built-in's or not a plain lower-case name
     */
    public static Strategies of(Map<String, LoadBalancerFactory> registered, ClassLoader loader) {
        Map<String, LoadBalancerFactory> all = new LinkedHashMap<>(BUILT_IN);
        for (LoadBalancerProvider provider : ServiceLoader.load(LoadBalancerProvider.class, loader)) {
            all.putIfAbsent(provider.name(), provider);
        }
        registered.forEach((name, factory) -> {
            checkName(name);
            all.put(name, Objects.requireNonNull(factory, "factory"));
        });
        return new Strategies(Collections.unmodifiableMap(all));
    }

    /**
     * Checks a name a strategy is registered under.
     *
     * @throws IllegalArgumentException if the name is a built-in's or not a plain lower-case name
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: lower-case letters, digits and '-')");
        }
        if (BUILT_IN.containsKey(name)) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: not a built-in strategy's name)");
        }
    }

    /** Returns every name configuration can use, sorted. */
    public Set<String> names() {
        return new TreeSet<>(factories.keySet());
    }

    /**
     * Returns a new strategy as configured.
     *
     * @throws IllegalArgumentException if the strategy is unknown or an option is invalid
     */
    public LoadBalancer create(StrategyConfig config) {
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
    public @Nullable LoadBalancer tryCreate(StrategyConfig config, String path, List<ConfigProblem> problems) {
        String name = config.name().trim();
        LoadBalancerFactory factory = factories.get(name);
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
