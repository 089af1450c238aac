package dev.junction.core.spi;

/**
 * Told how each request went, for meters of one's own: every attempt on a backend, and every exchange once it ended.
 * Registered on one Junction with {@code Junction.builder().exchangeListener(...)}; with none registered,
 * nothing is computed for it.
 *
 * <p>Called on the thread that finished the attempt or the exchange, on the request path: record and return, never
 * block or throw. Every method has an empty default.
 */
public interface ExchangeListener {

    /** What an attempt on one backend came to. */
    enum Outcome {
        /** The backend answered with a status the route does not count as a failure. */
        SUCCEEDED,
        /** The backend answered with a status counted as a failure (5xx, or one its breaker counts). */
        FAILED_STATUS,
        /** No connection could be made to the backend, or the request never reached it. */
        NOT_REACHED,
        /** The backend did not answer in time. */
        TIMED_OUT,
        /** The backend closed, reset or garbled the exchange. */
        BROKEN,
        /** The client went away first; nothing is concluded about the backend. */
        ABANDONED
    }

    /**
     * An attempt on {@code backend} of {@code route} ended.
     *
     * @param route the route's name
     * @param backend the backend tried
     * @param outcome what the attempt came to
     * @param status the backend's status, or 0 if no response head came
     * @param nanos the time from sending the attempt to its end, in nanoseconds
     */
    default void attemptEnded(String route, Backend backend, Outcome outcome, int status, long nanos) {
    }

    /**
     * An exchange of {@code route} ended: its client got {@code status} (0 if the connection was closed instead)
     * after {@code attempts} attempts (0 when no backend was tried) in {@code nanos}.
     *
     * @param route the route's name
     * @param status the status the client got, or 0 if the connection was closed instead
     * @param attempts the attempts on backends, 0 when none was tried
     * @param nanos the time the exchange took, in nanoseconds
     */
    default void exchangeEnded(String route, int status, int attempts, long nanos) {
    }
}
