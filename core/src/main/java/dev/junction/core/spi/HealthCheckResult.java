package dev.junction.core.spi;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The verdict of one active health check.
 *
 * @param healthy whether the check passed
 * @param details what was found, in words: for a failed check, why it failed (shown in the status and logs)
 * @param latency how long the check took as the check measured it, or null to let Junction time it (from the call to
 *     the completion of the returned stage)
 */
public record HealthCheckResult(boolean healthy, String details, @Nullable Duration latency) {

    /**
     * Creates the verdict.
     *
     * @param healthy whether the check passed
     * @param details what was found, in words
     * @param latency how long the check took as the check measured it, or null to let Junction time it
     * @throws NullPointerException if {@code details} is null
     */
    public HealthCheckResult {
        Objects.requireNonNull(details, "details");
    }

    /**
     * Returns a passed check, timed by Junction.
     *
     * @param details what was found, in words
     * @return the verdict
     */
    public static HealthCheckResult healthy(String details) {
        return new HealthCheckResult(true, details, null);
    }

    /**
     * Returns a failed check and why it failed, timed by Junction.
     *
     * @param details why the check failed, in words
     * @return the verdict
     */
    public static HealthCheckResult unhealthy(String details) {
        return new HealthCheckResult(false, details, null);
    }

    /**
     * Returns this verdict with the latency the check measured itself.
     *
     * @param latency how long the check took
     * @return a copy of this verdict with that latency
     * @throws NullPointerException if {@code latency} is null
     */
    public HealthCheckResult withLatency(Duration latency) {
        return new HealthCheckResult(healthy, details, Objects.requireNonNull(latency, "latency"));
    }
}
