package dev.junction.core.internal.engine;

import java.util.concurrent.atomic.LongAdder;

import dev.junction.core.internal.metrics.ExchangeResult;

/**
 * What a route's exchanges have added up to since start, kept whether or not there are metrics: the status snapshot
 * reports them, and the status page draws its request rate, error rate and mean time from their differences.
 *
 * <p>Thread-safe.
 */
final class RouteTotals {

    private final LongAdder exchanges = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    /**
     * Counts one exchange that ended as {@code result} after {@code nanos}; it is an error if its answer was a 5xx or
     * it was cut off by backends failing (a client that left is not).
     */
    void ended(int status, ExchangeResult result, long nanos) {
        exchanges.increment();
        this.nanos.add(nanos);
        if (isError(status, result)) {
            errors.increment();
        }
    }

    /** Returns whether an exchange that ended so is an error. */
    static boolean isError(int status, ExchangeResult result) {
        return status >= 500 || result == ExchangeResult.BACKEND_FAILED || result == ExchangeResult.TIMED_OUT
                || result == ExchangeResult.NO_BACKEND;
    }

    /** Returns how many exchanges have ended. */
    long exchanges() {
        return exchanges.sum();
    }

    /** Returns how many of them were errors. */
    long errors() {
        return errors.sum();
    }

    /** Returns the time they took, added up, in milliseconds. */
    double millis() {
        return nanos.sum() / 1e6;
    }
}
