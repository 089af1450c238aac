package dev.junction.core.status;

/** Where a backend's circuit breaker stands. */
public enum BreakerState {
    /** Requests flow; failures are counted. */
    CLOSED,
    /** No request goes to the backend until the breaker's delay is over (or an operator closes it). */
    OPEN,
    /** A few trial requests go to the backend; their outcome closes or opens the breaker again. */
    HALF_OPEN
}
