package dev.junction.core.health;

import dev.junction.core.pool.Backend;
import dev.junction.core.route.Route;

/**
 * Told when a backend's health changes. Called on the health checker's thread: return quickly, do not block.
 */
public interface HealthListener {

    /** {@code backend} of {@code route} passed enough checks in a row and takes traffic again. */
    default void healthy(Route route, Backend backend) {
    }

    /** {@code backend} of {@code route} failed enough checks in a row and takes no traffic; {@code reason} says why. */
    default void unhealthy(Route route, Backend backend, String reason) {
    }
}
