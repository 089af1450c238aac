package dev.junction.examples.extend;

import java.util.List;
import java.util.Map;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.LoadBalancerFactory;

/**
 * A balancing strategy of one's own: every request to the first backend that may take it, in configuration order
 * (HAProxy's {@code balance first}: fill one server before the next). The selector is built once per pool change and
 * reads backends by index, allocating nothing per request.
 *
 * <p>Registered on one Junction under a name, with an option:
 * <pre>{@code
 * Junction.builder().strategy("first-available", FirstAvailableLoadBalancer.FACTORY)
 * // routes: [{prefix: /, strategy: first-available, backends: [...]}]
 * }</pre>
 */
public final class FirstAvailableLoadBalancer implements LoadBalancer {

    /** Creates the strategy from a route's options; it takes none. */
    public static final LoadBalancerFactory FACTORY = FirstAvailableLoadBalancer::fromOptions;

    private FirstAvailableLoadBalancer() {
    }

    private static LoadBalancer fromOptions(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new dev.junction.core.spi.InvalidOptionException(options.keySet().iterator().next(),
                    "unknown option (first-available takes none)");
        }
        return new FirstAvailableLoadBalancer();
    }

    @Override
    public Selector selector(List<Backend> backends) {
        Backend[] group = backends.toArray(new Backend[0]);
        return (context, eligibility) -> {
            for (Backend backend : group) {
                if (eligibility.test(backend)) {
                    return backend;
                }
            }
            return null;
        };
    }
}
