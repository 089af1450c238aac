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

    public HealthCheckResult {
        Objects.requireNonNull(details, "details");
    }

    /** Returns a passed check. */
    public static HealthCheckResult healthy(String details) {
        return new HealthCheckResult(true, details, null);
    }

    /** Returns a failed check and why it failed. */
    public static HealthCheckResult unhealthy(String details) {
        return new HealthCheckResult(false, details, null);
    }

    /** Returns this verdict with the latency the check measured itself. */
    public HealthCheckResult withLatency(Duration latency) {
        return new HealthCheckResult(healthy, details, Objects.requireNonNull(latency, "latency"));
    }
}
