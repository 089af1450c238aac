package dev.junction.core.status;

/** What a route tells an autoscaler: it needs more backends, has what it needs, or could do with fewer. */
public enum ScalingState {
    /** A high threshold has been passed for the time it must hold: add backends. */
    UP,
    /** Neither: the route has what it needs. */
    STEADY,
    /** Utilisation has been at or below the low threshold, with nothing queued, for the time it must hold. */
    DOWN
}
