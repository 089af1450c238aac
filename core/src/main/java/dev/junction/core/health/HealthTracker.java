package dev.junction.core.health;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The health of one backend as its checks tell it: healthy until {@code unhealthyThreshold} checks in a row fail,
 * then unhealthy until {@code healthyThreshold} checks in a row pass (HAProxy's {@code fall} and {@code rise}).
 *
 * <p>Thread-safe: each method is synchronized; checks of one backend do not overlap, so there is no contention.
 */
public final class HealthTracker {

    /** What a check result changed. */
    public enum Change { NONE, BECAME_HEALTHY, BECAME_UNHEALTHY }

    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private final Clock clock;
    private boolean healthy = true;
    private int consecutiveSuccesses;
    private int consecutiveFailures;
    private @Nullable Instant lastCheck;
    private @Nullable String lastError;
    private long totalLatencyNanos;
    private long checks;

    public HealthTracker(int healthyThreshold, int unhealthyThreshold, Clock clock) {
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be >= 1 (were " + healthyThreshold + ", "
                    + unhealthyThreshold + ")");
        }
        this.healthyThreshold = healthyThreshold;
        this.unhealthyThreshold = unhealthyThreshold;
        this.clock = clock;
    }

    /** Counts a passed check that took {@code latencyNanos}; returns what it changed. */
    public synchronized Change passed(long latencyNanos) {
        record(latencyNanos);
        consecutiveFailures = 0;
        consecutiveSuccesses++;
        if (!healthy && consecutiveSuccesses >= healthyThreshold) {
            healthy = true;
            return Change.BECAME_HEALTHY;
        }
        return Change.NONE;
    }

    /** Counts a failed check that took {@code latencyNanos}, and why it failed; returns what it changed. */
    public synchronized Change failed(long latencyNanos, String error) {
        record(latencyNanos);
        lastError = error;
        consecutiveSuccesses = 0;
        consecutiveFailures++;
        if (healthy && consecutiveFailures >= unhealthyThreshold) {
            healthy = false;
            return Change.BECAME_UNHEALTHY;
        }
        return Change.NONE;
    }

    private void record(long latencyNanos) {
        lastCheck = clock.instant();
        totalLatencyNanos += latencyNanos;
        checks++;
    }

    public synchronized boolean healthy() {
        return healthy;
    }

    public synchronized int consecutiveSuccesses() {
        return consecutiveSuccesses;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Returns when the last check ended, or null before the first. */
    public synchronized @Nullable Instant lastCheck() {
        return lastCheck;
    }

    /** Returns why the last failed check failed, or null if none has. */
    public synchronized @Nullable String lastError() {
        return lastError;
    }

    /** Returns the average time a check took, in nanoseconds; 0 before the first. */
    public synchronized long averageLatencyNanos() {
        return checks == 0 ? 0 : totalLatencyNanos / checks;
    }
}
