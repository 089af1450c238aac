package dev.junction.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.status.BreakerMode;
import dev.junction.core.status.BreakerState;

/**
 * The circuit breaker of one backend of one route, for an operator: where it stands, and holding it open or closed
 * (the admin endpoint's {@code /breakers/<route>/<backend>} does the same).
 *
 * <p>Thread-safe.
 */
public final class Breaker {

    private final BackendBreaker breaker;

    Breaker(BackendBreaker breaker) {
        this.breaker = breaker;
    }

    /** {@return where the breaker stands} */
    public BreakerState state() {
        return breaker.state();
    }

    /** {@return who decides the breaker: its backend's failures, or an operator} */
    public BreakerMode mode() {
        return breaker.mode();
    }

    /** {@return why the last counted failure failed, or null} */
    public @Nullable String lastFailure() {
        return breaker.lastFailure();
    }

    /** {@return when an open breaker lets its trials through, or null if it is not open on its own} */
    public @Nullable Instant halfOpenAt() {
        return breaker.halfOpenAt();
    }

    /** Holds the breaker open until {@link #automatic()} or {@link #forceClosed()}: no request reaches the backend. */
    public void forceOpen() {
        breaker.forceOpen();
    }

    /** Holds the breaker closed until {@link #automatic()}: requests flow whatever the failures. */
    public void forceClosed() {
        breaker.forceClosed();
    }

    /** Hands the breaker back to the backend's failures, closed and with its counts cleared. */
    public void automatic() {
        breaker.automatic();
    }

    @Override
    public String toString() {
        return "Breaker{" + breaker.state() + ", " + breaker.mode() + '}';
    }
}
