package dev.junction.core.balance;

import java.util.Map;

/**
 * Creates a {@link LoadBalancer} from a route's strategy options. Registered under a name with
 * {@link LoadBalancerRegistry#register(String, LoadBalancerFactory)}.
 */
@FunctionalInterface
public interface LoadBalancerFactory {

    /**
     * Returns a new strategy for one route.
     *
     * @param options the strategy's options from configuration, never null
     * @throws InvalidOptionException if an option is unknown or its value is invalid
     */
    LoadBalancer create(Map<String, String> options);
}
