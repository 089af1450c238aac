package dev.junction.core.internal.engine;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.LiveState;
import dev.junction.core.internal.health.HealthTracker;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendState;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.BreakerMode;
import dev.junction.core.status.BreakerState;
import dev.junction.core.status.Reason;

/**
 * Builds {@link BackendStatus} snapshots. The reason is decided in the same order {@link Backend#isAvailable()}
 * asks, so the words explain the answer the strategies get.
 */
final class Statuses {

    private Statuses() {
    }

    /**
     * Returns the status of {@code backend}, with its active-check tracker, ejection end and circuit breaker if it has
     * them; with {@code breakers} on and no breaker yet (one is made at the backend's first request), it stands
     * closed and automatic.
     */
    static BackendStatus of(Backend backend, @Nullable HealthTracker tracker, @Nullable Instant ejectedUntil,
            boolean breakers, @Nullable BackendBreaker breaker) {
        BackendState state = backend.state();
        Reason reason = reason(backend);
        String explanation = switch (reason) {
            case DISABLED -> "disabled by an operator";
            case DRAINING -> "draining: finishing its requests, taking no new ones";
            case UNHEALTHY -> {
                String error = tracker == null ? null : tracker.lastError();
                yield tracker != null && !tracker.checked() ? "waiting for its first active health check"
                        : "failed its active health check" + (error == null ? "" : ": " + error);
            }
            case EJECTED -> "ejected by outlier detection" + (ejectedUntil == null ? "" : " until " + ejectedUntil);
            case BREAKER_OPEN -> breakerExplanation(breaker);
            case AT_CAPACITY -> "at its limit of " + backend.maxConcurrent() + " requests in flight";
            case AVAILABLE -> "takes new requests";
        };
        return new BackendStatus(backend.id(), backend.uri().toString(), backend.backup(),
                reason == Reason.AVAILABLE, reason, explanation, state.inFlight(),
                state instanceof LiveState live ? live.tunnels() : 0, state.requests(),
                state.successes(), state.failures(), state.responseTimeNanos() / 1e6,
                tracker == null ? null : tracker.lastCheck(), tracker == null ? null : tracker.lastError(),
                tracker == null ? 0 : tracker.consecutiveSuccesses(),
                tracker == null ? 0 : tracker.consecutiveFailures(),
                tracker == null ? 0 : tracker.averageLatencyNanos() / 1e6, state.ejected() ? ejectedUntil : null,
                breaker != null ? breaker.state() : breakers ? BreakerState.CLOSED : null,
                breaker != null ? breaker.mode() : breakers ? BreakerMode.AUTOMATIC : null);
    }

    /** Returns why {@code backend} does or does not take new requests now: the first reason that applies. */
    static Reason reason(Backend backend) {
        BackendState state = backend.state();
        if (backend.disabled()) {
            return Reason.DISABLED;
        } else if (state.availability() == Availability.DRAINING) {
            return Reason.DRAINING;
        } else if (state.availability() == Availability.UNHEALTHY) {
            return Reason.UNHEALTHY;
        } else if (state.ejected()) {
            return Reason.EJECTED;
        } else if (state.breakerOpen()) {
            return Reason.BREAKER_OPEN;
        } else if (backend.atCapacity()) {
            return Reason.AT_CAPACITY;
        }
        return Reason.AVAILABLE;
    }

    private static String breakerExplanation(@Nullable BackendBreaker breaker) {
        if (breaker == null) {
            return "its circuit breaker is open";
        }
        if (breaker.mode() == BreakerMode.FORCED_OPEN) {
            return "its circuit breaker is held open by an operator";
        }
        Instant halfOpen = breaker.halfOpenAt();
        return "its circuit breaker is open" + (breaker.lastFailure() == null ? "" : " after: " + breaker.lastFailure())
                + (halfOpen == null ? "" : "; trial requests from " + halfOpen);
    }
}
