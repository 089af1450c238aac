package dev.junction.core.spi;

import java.time.Duration;

import dev.junction.core.status.BreakerState;

/**
 * Told when a backend's health changes: active checks' verdicts, ejections and their ends, circuit breakers moving,
 * a route entering or leaving panic. Routes are named as configured ({@link
 * dev.junction.core.config.RouteConfig#name()}).
 * Called on the thread that saw the change (the scheduler's, or one finishing a request): return quickly, do not
 * block. Registered on one Junction: {@code Junction.builder().healthListener(listener)}, or
 * {@code junction.addHealthListener(listener)}.
 *
 * <p>Every method has an empty default: implement those of interest.
 */
public interface HealthListener {

    /**
     * {@code backend} of {@code route} passed enough checks in a row and takes traffic again.
     *
     * @param route the route's name
     * @param backend the backend now healthy
     */
    default void healthy(String route, Backend backend) {
    }

    /**
     * {@code backend} of {@code route} failed enough checks in a row and takes no traffic; {@code reason} says why.
     *
     * @param route the route's name
     * @param backend the backend now unhealthy
     * @param reason why the last check failed, in words
     */
    default void unhealthy(String route, Backend backend, String reason) {
    }

    /**
     * Real traffic ejected {@code backend} of {@code route} for {@code duration}; {@code reason} says why.
     *
     * @param route the route's name
     * @param backend the backend ejected
     * @param reason why it was ejected, in words
     * @param duration how long the ejection lasts
     */
    default void ejected(String route, Backend backend, String reason, Duration duration) {
    }

    /**
     * The ejection of {@code backend} of {@code route} has ended: it takes traffic again.
     *
     * @param route the route's name
     * @param backend the backend restored
     */
    default void restored(String route, Backend backend) {
    }

    /**
     * The circuit breaker of {@code backend} of {@code route} moved to {@code state}: open (no traffic), half-open
     * (trial requests) or closed (traffic again).
     *
     * @param route the route's name
     * @param backend the backend whose breaker moved
     * @param state the breaker's new state
     */
    default void breaker(String route, Backend backend, BreakerState state) {
    }

    /**
     * {@code route} entered panic ({@code entered}: fewer healthy primaries than its threshold, so traffic spreads
     * over all of them) or left it.
     *
     * @param route the route's name
     * @param entered true when the route entered panic, false when it left it
     */
    default void panic(String route, boolean entered) {
    }

    /**
     * An active health check of {@code backend} of {@code route} ended: it passed ({@code healthy}) or failed, after
     * {@code latency} (the check's own figure when it reports one). Told of every check, whether or not it changed
     * the backend's health.
     *
     * @param route the route's name
     * @param backend the backend checked
     * @param healthy whether the check passed
     * @param latency how long the check took
     */
    default void checked(String route, Backend backend, boolean healthy, Duration latency) {
    }
}
