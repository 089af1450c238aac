package dev.junction.core;

/**
 * A source of monotonic nanosecond time, injected wherever Junction measures durations so tests can drive time
 * instead of sleeping.
 *
 * <p>Implementations must be thread-safe. Only differences between two readings are meaningful.
 */
@FunctionalInterface
public interface Ticker {

    /** Returns the current reading in nanoseconds; only differences between readings are meaningful. */
    long nanos();

    /** Returns the ticker backed by {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
