package dev.junction.core.internal.health;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The health of one backend as its checks tell it: healthy until {@code unhealthyThreshold} checks in a row fail,
 * then unhealthy until {@code healthyThreshold} checks in a row pass (HAProxy's {@code fall} and {@code rise}). A
 * backend that starts unchecked is unhealthy until its first check: one that passes makes it healthy at once, one that
 * fails leaves it to the healthy threshold, as Envoy does.
 *
 * <p>Thread-safe: each method is synchronized; checks of one backend do not overlap, so there is no contention.
 */
public final class HealthTracker {

    /** What a check result changed. */
    public enum Change { NONE, BECAME_HEALTHY, BECAME_UNHEALTHY }

    private final int healthyThreshold;
    private final int unhealthyThreshold;
    private final Clock clock;
    private boolean healthy;
    private boolean checked;
    private int consecutiveSuccesses;
    private int consecutiveFailures;
    private @Nullable Instant lastCheck;
    private @Nullable String lastError;
    private long totalLatencyNanos;
    private long checks;

    /**
     * Creates a tracker.
     *
     * @param startHealthy whether the backend counts as healthy before its first check
     */
    public HealthTracker(int healthyThreshold, int unhealthyThreshold, boolean startHealthy, Clock clock) {
        if (healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be >= 1 (were " + healthyThreshold + ", "
                    + unhealthyThreshold + ")");
        }
        this.healthyThreshold = healthyThreshold;
        this.unhealthyThreshold = unhealthyThreshold;
        this.clock = clock;
        this.healthy = startHealthy;
        this.checked = startHealthy;
    }

    /** Counts a passed check that took {@code latencyNanos}; returns what it changed. */
    public synchronized Change passed(long latencyNanos) {
        record(latencyNanos);
        consecutiveFailures = 0;
        consecutiveSuccesses++;
        boolean first = !checked;
        checked = true;
        if (!healthy && (first || consecutiveSuccesses >= healthyThreshold)) {
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
        checked = true;
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

    /** Returns whether at least one check has ended, or the backend started healthy. */
    public synchronized boolean checked() {
        return checked;
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
