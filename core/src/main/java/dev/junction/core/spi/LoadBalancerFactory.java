package dev.junction.core.spi;

import java.util.Map;

/**
 * Creates a {@link LoadBalancer} from a route's strategy options. Registered under a name on one Junction with
 * {@code Junction.builder().strategy(name, factory)}, or for every Junction as a {@link LoadBalancerProvider}.
 */
@FunctionalInterface
public interface LoadBalancerFactory {

    /**
     * Returns a new strategy for one route.
     *
     * @param options the strategy's options from configuration, never null
     * @return the strategy
     * @throws InvalidOptionException if an option is unknown or its value is invalid
     */
    LoadBalancer create(Map<String, String> options);
}
