package dev.junction.core.health;

import dev.junction.core.pool.Backend;
import dev.junction.core.resilience.BreakerState;
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

    /** Real traffic ejected {@code backend} of {@code route} for {@code duration}; {@code reason} says why. */
    default void ejected(Route route, Backend backend, String reason, java.time.Duration duration) {
    }

    /** {@code backend} of {@code route}'s ejection has ended: it takes traffic again. */
    default void restored(Route route, Backend backend) {
    }

    /**
     * {@code backend} of {@code route}'s circuit breaker moved to {@code state}: open (no traffic), half-open (trial
     * requests) or closed (traffic again).
     */
    default void breaker(Route route, Backend backend, BreakerState state) {
    }

    /**
     * {@code route} entered panic ({@code entered}: fewer healthy primaries than its threshold, so traffic spreads
     * over all of them) or left it.
     */
    default void panic(Route route, boolean entered) {
    }
}
