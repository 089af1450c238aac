package dev.junction.spring;

import dev.junction.core.Junction;

/**
 * Changes the {@link Junction.Builder} the starter builds its Junction with, before the configuration is read: a
 * strategy, health check, key or priority resolver registered by name (which {@code junction.*} may then name), a
 * listener, a transport. Every such bean of the application is applied, in their {@code @Order}, after the starter has
 * handed in the application's {@code MeterRegistry} and {@code ObservationRegistry}, so a customizer may replace them.
 *
 * <pre>{@code
 * @Bean
 * JunctionBuilderCustomizer firstAvailable() {
 *     return builder -> builder.strategy("first-available", options -> new FirstAvailableLoadBalancer());
 * }
 * }</pre>
 *
 * <p>Called once, on the thread that creates the Junction bean.
 */
@FunctionalInterface
public interface JunctionBuilderCustomizer {

    /**
     * Changes the builder.
     *
     * @param builder the builder of the application's Junction
     */
    void customize(Junction.Builder builder);
}
