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

    /**
     * Checks that {@code name} is not null and copies {@code options}, which is then unmodifiable.
     *
     * @param name the strategy's name; default {@code round-robin}
     * @param options strategy-specific options; default none
     */
    public StrategyConfig {
        Objects.requireNonNull(name, "name");
        options = Map.copyOf(options);
    }

    /**
     * {@return the named strategy with no options}
     *
     * @param name the strategy's name, such as {@code least-connections}
     */
    public static StrategyConfig of(String name) {
        return new StrategyConfig(name, Map.of());
    }

    /**
     * {@return the named strategy with these options}
     *
     * @param name the strategy's name, such as {@code consistent-hash}
     * @param options strategy-specific options
     */
    public static StrategyConfig of(String name, Map<String, String> options) {
        return new StrategyConfig(name, options);
    }
}
