package dev.junction.core.spi;

/**
 * A source of monotonic nanosecond time, handed to {@code Junction.builder().ticker(...)} and read wherever
 * Junction measures durations (response times, ejections, retry budgets, slow start, session expiry, deadlines), so
 * tests can drive time instead of sleeping.
 *
 * <p>Implementations must be thread-safe. Only differences between two readings are meaningful.
 */
@FunctionalInterface
public interface Ticker {

    /** {@return the current reading in nanoseconds; only differences between readings are meaningful} */
    long nanos();

    /** {@return the ticker backed by {@link System#nanoTime()}} */
    static Ticker system() {
        return System::nanoTime;
    }
}
