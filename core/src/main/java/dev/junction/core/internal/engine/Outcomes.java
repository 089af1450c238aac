package dev.junction.core.internal.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import io.micrometer.observation.Observation;

import dev.junction.core.internal.LiveState;
import dev.junction.core.internal.health.OutlierDetector;
import dev.junction.core.internal.metrics.RouteMeters;
import dev.junction.core.internal.tracing.Observations;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ExchangeListener;
import dev.junction.core.spi.ExchangeListener.Outcome;
import dev.junction.core.spi.Ticker;

/**
 * The accounting of one attempt: what its outcome tells each party that learns from real traffic, once each. The
 * backend's live numbers (in flight, totals, response-time average), the route's outlier detector, the backend's
 * circuit breaker, and the exchange listeners.
 *
 * <p>A 5xx is a failure to outlier detection; a status of the breaker's {@code failureStatuses} to the breaker. An
 * attempt the client abandoned (it left, or its request body failed) counts against nobody: not in the backend's
 * failures, not to outlier detection, and not to the breaker, unless it was a half-open breaker's trial (which must
 * end somehow). Thread-safe: outcomes may be reported from the transport's and the client's threads at once; each party
 * hears of the attempt once.
 */
final class Outcomes {

    private final String route;
    private final RouteMeters meters;
    private final Backend backend;
    private final OutlierDetector outliers;
    private final @Nullable BackendBreaker breaker;
    private final List<ExchangeListener> listeners;
    private final Ticker ticker;
    private final long startNanos;
    private final AtomicBoolean settled = new AtomicBoolean();
    /** The attempt's observation, stopped as it settles; null when the engine observes nothing. */
    private volatile @Nullable Observation observation;
    /** Set once the breaker has been told how the attempt went: it is told once. */
    private final AtomicBoolean breakerTold = new AtomicBoolean();
    /** Set while the attempt holds one of the backend's tunnels for its upgrade. */
    private final @Nullable AtomicBoolean tunnelHeld;

    /**
     * @param tunnelHeld whether the attempt holds one of the backend's tunnels ({@link LiveState#tryHoldTunnel}):
     *     kept by {@link #keepTunnel()} or given back as the attempt settles
     */
    Outcomes(RouteRuntime route, Backend backend, @Nullable BackendBreaker breaker, List<ExchangeListener> listeners,
            Ticker ticker, long startNanos, boolean tunnelHeld) {
        // Only an upgrade's attempt holds a tunnel: the others do without the flag.
        this.tunnelHeld = tunnelHeld ? new AtomicBoolean(true) : null;
        this.route = route.name();
        this.meters = route.meters();
        this.backend = backend;
        this.outliers = route.outliers();
        this.breaker = breaker;
        this.listeners = listeners;
        this.ticker = ticker;
        this.startNanos = startNanos;
    }

    /** Has {@code started} stopped when the attempt is settled. */
    void observe(Observation started) {
        observation = started;
    }

    /** Stops the observation of an attempt that never left. */
    void unobserved() {
        Observation started = observation;
        observation = null;
        if (started != null) {
            Observations.stop(started, 0, Outcome.NOT_REACHED.name(), null);
        }
    }

    /**
     * Hands the tunnel the attempt holds to the tunnel its upgrade opened, so that settling keeps it.
     *
     * @return false if the attempt no longer held one (it settled first): the tunnel must then be counted anew
     */
    boolean keepTunnel() {
        AtomicBoolean held = tunnelHeld;
        return held != null && held.getAndSet(false);
    }

    /** Gives back the tunnel the attempt holds, if it still does. */
    void releaseTunnel() {
        AtomicBoolean held = tunnelHeld;
        if (held != null && held.compareAndSet(true, false)) {
            LiveState.of(backend).tunnelReleased();
        }
    }

    /** Returns the breaker asked for this attempt, or null. */
    @Nullable BackendBreaker breaker() {
        return breaker;
    }

    /** Returns whether the backend's breaker counts {@code status} as a failure. */
    boolean breakerFails(int status) {
        return breaker != null && breaker.isFailure(status);
    }

    /**
     * Counts the attempt on the backend's live numbers, once: ended, and if it succeeded, its response time.
     *
     * @param headNanos the time to the response head, fed to the response-time average on success
     */
    void settle(boolean success, long headNanos, Outcome outcome, int status) {
        settle(success, headNanos, outcome, status, true);
    }

    /**
     * Counts an attempt its client abandoned (it left, stalled, or its body failed), to nobody's account: neither a
     * success nor a failure of the backend; the breaker hears only of a half-open trial's end.
     */
    void abandoned(long headNanos, int status) {
        settle(false, headNanos, Outcome.ABANDONED, status, false);
        abandonedVerdict();
    }

    /** Counts an attempt that the proxy's own limit kept from the backend: neither a success nor a failure of it. */
    void atLimit() {
        settle(false, 0, Outcome.NOT_REACHED, 0, false);
        abandonedVerdict();
    }

    private void settle(boolean success, long headNanos, Outcome outcome, int status, boolean counted) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        releaseTunnel();
        if (!counted) {
            // The client's doing, or the proxy's limit: the backend's numbers count neither a success nor a failure.
            LiveState.of(backend).requestAbandoned();
        } else {
            LiveState.of(backend).requestEnded(success, headNanos);
        }
        Observation started = observation;
        if (started != null) {
            Observations.stop(started, status, outcome.name(), null);
        }
        if (!listeners.isEmpty() || meters.on()) {
            long nanos = ticker.nanos() - startNanos;
            meters.attemptEnded(backend, outcome, nanos);
            for (int i = 0; i < listeners.size(); i++) {
                listeners.get(i).attemptEnded(route, backend, outcome, status, nanos);
            }
        }
    }

    /** Tells outlier detection and the breaker what the backend's status says of it. */
    void statusVerdict(int status) {
        if (status < 500) {
            outliers.succeeded(backend);
        } else {
            outliers.responseFailed(backend, "status " + status);
        }
        if (breaker != null) {
            boolean failure = breaker.isFailure(status);
            tellBreaker(!failure, failure ? "status " + status : "");
        }
    }

    /** Tells outlier detection and the breaker of a failed attempt: not reached at all ({@code connect}), or broken. */
    void failedVerdict(String why, boolean connect) {
        if (connect) {
            outliers.connectFailed(backend, why);
        } else {
            outliers.responseFailed(backend, why);
        }
        tellBreaker(false, why);
    }

    /** Tells the breaker, if it has not been told, of an attempt that ended without a verdict on the backend. */
    private void abandonedVerdict() {
        if (breaker != null && breakerTold.compareAndSet(false, true)) {
            breaker.abandoned();
        }
    }

    /** Tells the breaker, if there is one and it has not been told yet, that the attempt succeeded or failed. */
    void tellBreaker(boolean succeeded, String why) {
        if (breaker == null || !breakerTold.compareAndSet(false, true)) {
            return;
        }
        if (succeeded) {
            breaker.succeeded();
        } else {
            breaker.failed(why);
        }
    }
}
