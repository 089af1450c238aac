package dev.junction.core.spi;

/**
 * The live numbers of one backend, read-only: what strategies and health checks of one's own may read. Junction alone
 * changes them, as requests start and end, checks pass and fail, and breakers open and close.
 *
 * <p>Thread-safe; each reading is one volatile read or a sum of counters, never a lock.
 */
public interface BackendState {

    /** Returns the number of requests in flight to the backend now. */
    int inFlight();

    /** Returns the requests sent to the backend so far. */
    long requests();

    /** Returns the requests the backend answered with a status under 500. */
    long successes();

    /** Returns the requests that failed: 5xx, no answer, or broken off. */
    long failures();

    /**
     * Returns the exponentially-weighted moving average of the backend's response time (to the response head), in
     * nanoseconds, as of its last sample; 0 before the first. Samples fade with a time constant of 10 s.
     */
    double responseTimeNanos();

    /**
     * Returns a rank that orders backends by their response-time average faded to now: {@code ln(ewma) + t/τ}, where
     * {@code t} is the time of the last sample; lower is faster. Comparing ranks compares faded averages without
     * reading the clock. NaN before the first sample.
     */
    double responseTimeRank();

    /** Returns whether health checking or an operator lets the backend take new requests. */
    Availability availability();

    /** Returns whether outlier detection has ejected the backend for now. */
    boolean ejected();

    /** Returns whether the backend's circuit breaker is open: no request may go to it. */
    boolean breakerOpen();

    /** Returns whether real traffic keeps the backend out: ejected, or its breaker open. */
    default boolean blocked() {
        return ejected() || breakerOpen();
    }
}
