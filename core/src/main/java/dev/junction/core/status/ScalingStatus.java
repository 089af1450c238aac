package dev.junction.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * A route's scaling signal and the numbers it comes from, as last sampled.
 *
 * @param route the route's name
 * @param state the signal
 * @param since when the signal took this state (or the watch started)
 * @param reason why, in words: the threshold passed and for how long, or that none is
 * @param utilisationPercent requests in flight over the capacity of the backends that take traffic, in percent; 1000
 *     when none does and requests wait, -1 when the route watches no utilisation
 * @param queued requests waiting in the route's queue
 * @param meanLatencyMillis the mean time of the exchanges that ended in the last sample, 0 if none did
 */
public record ScalingStatus(String route, ScalingState state, Instant since, String reason, int utilisationPercent,
        int queued, double meanLatencyMillis) {

    /**
     * Creates the record.
     *
     * @param route the route's name
     * @param state the signal
     * @param since when the signal took this state
     * @param reason why, in words
     * @param utilisationPercent requests in flight over the capacity, in percent
     * @param queued requests waiting in the route's queue
     * @param meanLatencyMillis the mean time of the exchanges that ended in the last sample
     * @throws NullPointerException if {@code route}, {@code state}, {@code since} or {@code reason} is null
     */
    public ScalingStatus {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(reason, "reason");
    }
}
