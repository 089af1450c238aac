package dev.junction.core.config;

import java.util.Map;
import java.util.Objects;

/**
 * The balancing strategy of a route: its name (a built-in such as {@code least-connections}, a name registered on the
 * Junction or by a {@link dev.junction.core.spi.LoadBalancerProvider}, or the class name of a
 * {@link dev.junction.core.spi.LoadBalancer}) and its options (for {@code consistent-hash}: {@code key},
 * {@code algorithm}). The name is resolved, and the options checked, when Junction is built.
 *
 * @param name the strategy's name; default {@code round-robin}
 * @param options strategy-specific options; default none
 */
public record StrategyConfig(String name, Map<String, String> options) {

    /** The strategy used when a route names none. */
    public static final StrategyConfig DEFAULT = new StrategyConfig("round-robin", Map.of());

    public StrategyConfig {
        Objects.requireNonNull(name, "name");
        options = Map.copyOf(options);
    }

    /** Returns the named strategy with no options. */
    public static StrategyConfig of(String name) {
        return new StrategyConfig(name, Map.of());
    }

    /** Returns the named strategy with these options. */
    public static StrategyConfig of(String name, Map<String, String> options) {
        return new StrategyConfig(name, options);
    }
}
