package dev.junction.core.status;

/** Who decides a backend's circuit breaker: its failures, or an operator. */
public enum BreakerMode {
    /** The breaker opens and closes on the backend's failures and trials. */
    AUTOMATIC,
    /** An operator holds it open: no request goes to the backend. */
    FORCED_OPEN,
    /** An operator holds it closed: requests flow whatever the failures. */
    FORCED_CLOSED
}
