package dev.junction.core.spi;

import dev.junction.core.status.ScalingStatus;

/**
 * Told when a route's scaling signal changes ({@code routes[].scaling}): what an autoscaler acts on. Registered with
 * {@code Junction.Builder.scalingListener}.
 *
 * <pre>{@code
 * Junction.builder().scalingListener(signal -> {
 *     if (signal.state() == ScalingState.UP) {
 *         cloud.addInstances(signal.route(), 1);
 *     }
 * });
 * }</pre>
 *
 * <p>Called from Junction's scheduler thread: return quickly, and hand slow work (a cloud API call) to a thread of
 * one's own. An exception is logged and does not stop the other listeners.
 */
@FunctionalInterface
public interface ScalingListener {

    /**
     * The signal of {@code signal.route()} changed to {@code signal.state()}, for {@code signal.reason()}.
     *
     * @param signal the route's new signal and the numbers it comes from
     */
    void changed(ScalingStatus signal);
}
