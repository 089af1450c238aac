package dev.junction.core.status;

/** Why a backend does or does not take new requests now; the first that applies, in this order. */
public enum Reason {
    /** An operator disabled it in the configuration. */
    DISABLED,
    /** It is being drained: it finishes what it has and takes nothing new. */
    DRAINING,
    /** It failed its active health checks (or has not passed its first). */
    UNHEALTHY,
    /** Real traffic ejected it for a while (outlier detection). */
    EJECTED,
    /** Its circuit breaker is open (on its own, or held open by an operator). */
    BREAKER_OPEN,
    /** It has as many requests in flight as its limit allows. */
    AT_CAPACITY,
    /** It takes new requests. */
    AVAILABLE
}
