package dev.junction.core.spi;

/**
 * A named strategy found through {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.junction.core.spi.LoadBalancerProvider} and its name becomes usable in
 * configuration, with no code to register it.
 */
public interface LoadBalancerProvider extends LoadBalancerFactory {

    /** {@return the name used in configuration, such as {@code zone-aware}} */
    String name();
}
