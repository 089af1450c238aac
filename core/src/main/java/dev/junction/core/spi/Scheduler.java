package dev.junction.core.spi;

import java.util.concurrent.TimeUnit;

/**
 * Runs Junction's timed work: health checks, the ends of ejections and open circuit breakers, retry backoff, the
 * sweep of connect and response deadlines. Handed to {@code Junction.builder().scheduler(...)}; by default
 * Junction runs one daemon thread of its own, {@code junction-scheduler}, and stops it on close. A scheduler handed
 * in is left running.
 *
 * <p>Tasks must be short and never block: they start work and return. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Scheduler {

    /** A scheduled task, which may still be cancelled. */
    @FunctionalInterface
    interface Task {

        /**
         * Cancels the task if it has not run.
         *
         * @return whether it was cancelled before it ran
         */
        boolean cancel();
    }

    /**
     * Runs {@code task} once, after {@code delay}; a delay of 0 or less runs it as soon as possible, never on the
     * calling thread.
     *
     * @param task the work to run
     * @param delay how long to wait before running it, in {@code unit}
     * @param unit the unit of {@code delay}
     * @return the scheduled task, to cancel it
     */
    Task schedule(Runnable task, long delay, TimeUnit unit);
}
