package dev.junction.core.config;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * When a route tells an autoscaler it needs more backends, or fewer: its utilisation (requests in flight over its
 * capacity), its queue's depth and its mean latency, sampled every second, against thresholds that must hold for
 * {@code sustain} before the signal changes. The signal is {@code UP} while a high threshold is passed, {@code DOWN}
 * while utilisation is at or below {@code utilisationLow} with nothing queued and latency not high, {@code STEADY}
 * between: the band between the two utilisation thresholds and the time a change must hold keep it from flapping.
 * Junction starts no machine itself: a {@code ScalingListener}, the webhook, the status and the
 * {@code junction.scaling.*} metrics tell whoever does.
 *
 * @param enabled whether the route is watched
 * @param utilisationHigh the utilisation, in percent, at or above which the route wants more backends; 0 for none
 * @param utilisationLow the utilisation, in percent, at or below which it could do with fewer; 0 for never
 * @param queueHigh the requests waiting in its queue at or above which it wants more; 0 for none
 * @param latencyHigh the mean latency at or above which it wants more; zero for none
 * @param sustain how long a condition must hold before the signal follows it; default 30 s
 * @param capacityPerBackend the requests in flight one backend can take, for backends without {@code maxConcurrent}
 *     (whose own limit is their capacity); 0 for none
 * @param webhook a URL Junction POSTs each change of the signal to, as JSON; null for none
 */
public record ScalingConfig(boolean enabled, int utilisationHigh, int utilisationLow, int queueHigh,
        Duration latencyHigh, Duration sustain, int capacityPerBackend, @Nullable String webhook) {

    /** No watch. */
    public static final ScalingConfig NONE = new ScalingConfig(false, 0, 0, 0, Duration.ZERO, Duration.ofSeconds(30),
            0, null);

    /** How long a change must hold unless set. */
    public static final Duration DEFAULT_SUSTAIN = Duration.ofSeconds(30);

    /**
     * Checks that {@code latencyHigh} and {@code sustain} are not null.
     *
     * @param enabled whether the route is watched
     * @param utilisationHigh the utilisation, in percent, at or above which the route wants more backends; 0 for none
     * @param utilisationLow the utilisation, in percent, at or below which it could do with fewer; 0 for never
     * @param queueHigh the requests waiting in its queue at or above which it wants more; 0 for none
     * @param latencyHigh the mean latency at or above which it wants more; zero for none
     * @param sustain how long a condition must hold before the signal follows it; default 30 s
     * @param capacityPerBackend the requests in flight one backend can take, for backends without {@code maxConcurrent}
     *     (whose own limit is their capacity); 0 for none
     * @param webhook a URL Junction POSTs each change of the signal to, as JSON; null for none
     */
    public ScalingConfig {
        Objects.requireNonNull(latencyHigh, "latencyHigh");
        Objects.requireNonNull(sustain, "sustain");
    }
}
