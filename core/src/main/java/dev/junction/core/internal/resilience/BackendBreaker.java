package dev.junction.core.internal.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerBuilder;
import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.StatusRanges;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.status.BreakerMode;
import dev.junction.core.status.BreakerState;

/**
 * The circuit breaker of one backend of one route: Failsafe's {@link CircuitBreaker} counts the outcomes and moves
 * between closed, open and half-open; this class ties it to selection (an open breaker marks the backend's state, so
 * every strategy skips it), opens it to its trials once the delay is over (selection never asks an open breaker, so
 * its delay would otherwise never be noticed), and lets an operator hold it open or closed.
 *
 * <p>Thread-safe. Outcomes are counted without a lock; the moves between states, and an operator's holds, take this
 * breaker's monitor, so a failure that opens the breaker as an operator holds it closed cannot leave the backend
 * marked open.
 */
public final class BackendBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(BackendBreaker.class);

    private final String route;
    private final BackendPool pool;
    private final String backendId;
    private final LiveState state;
    private final CircuitBreaker<Object> breaker;
    private final StatusRanges failureStatuses;
    private final Duration delay;
    private final Scheduler scheduler;
    private final List<HealthListener> listeners;
    private final Clock clock;
    private volatile BreakerMode mode = BreakerMode.AUTOMATIC;
    private volatile @Nullable String lastFailure;
    private volatile @Nullable Instant halfOpenAt;
    private final OpenShare share;
    /** Whether this breaker holds a place in the route's open share: taken on opening, given back on closing. */
    private final AtomicBoolean holdsShare = new AtomicBoolean();
    /** Set while the breaker is closed again at once because the share is taken. */
    private volatile boolean vetoing;
    /** Set once its route no longer uses it: it touches the backend's state no more. */
    private boolean retired;

    BackendBreaker(String route, BackendPool pool, Backend backend, BreakerConfig config, Scheduler scheduler,
            List<HealthListener> listeners, Clock clock, OpenShare share) {
        this.route = route;
        this.share = share;
        this.backendId = backend.id();
        this.pool = pool;
        this.state = LiveState.of(backend);
        this.failureStatuses = StatusRanges.parse(config.failureStatuses());
        this.delay = config.delay();
        this.scheduler = scheduler;
        this.listeners = listeners;
        this.clock = clock;
        CircuitBreakerBuilder<Object> builder = CircuitBreaker.builder()
                .withDelay(config.delay())
                .withSuccessThreshold(config.successesToClose(), config.halfOpenTrials())
                .onOpen(event -> opened())
                .onHalfOpen(event -> changed(BreakerState.HALF_OPEN))
                .onClose(event -> changed(BreakerState.CLOSED));
        if (config.failureRatePercent() > 0) {
            builder.withFailureRateThreshold(config.failureRatePercent(), config.minimumCalls(), config.window());
        } else {
            builder.withFailureThreshold(config.consecutiveFailures());
        }
        this.breaker = builder.build();
    }

    /**
     * Asks to send a request: always yes while closed (or held closed), never while open, and yes to as many trials
     * as the configuration allows while half-open. Every yes must be followed by one of {@link #succeeded},
     * {@link #failed} or {@link #abandoned}.
     */
    public boolean tryAcquire() {
        return switch (mode) {
            case FORCED_OPEN -> false;
            case FORCED_CLOSED -> true;
            case AUTOMATIC -> breaker.tryAcquirePermit();
        };
    }

    /** Returns whether a response status counts as a failure. */
    public boolean isFailure(int status) {
        return failureStatuses.contains(status);
    }

    /** Counts a request the backend served. */
    public void succeeded() {
        if (mode == BreakerMode.AUTOMATIC) {
            breaker.recordSuccess();
        }
    }

    /** Counts a failed request, and why it failed. */
    public void failed(String why) {
        if (mode == BreakerMode.AUTOMATIC) {
            lastFailure = why;
            breaker.recordFailure();
        }
    }

    /**
     * Counts a request that ended without a verdict on the backend (the client went away). A half-open breaker's
     * trial must end somehow, or the breaker would wait for it for ever: it counts as failed, and the breaker tries
     * again after its delay; otherwise it counts for nothing.
     */
    public void abandoned() {
        if (mode == BreakerMode.AUTOMATIC && breaker.isHalfOpen()) {
            failed("a trial request was abandoned by its client");
        }
    }

    /** Returns where the breaker stands. */
    public BreakerState state() {
        return switch (breaker.getState()) {
            case CLOSED -> BreakerState.CLOSED;
            case OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
        };
    }

    /** Returns the live state of the breaker's backend, which selection reads. */
    LiveState backendState() {
        return state;
    }

    /** Returns who decides the breaker. */
    public BreakerMode mode() {
        return mode;
    }

    /** Returns why the last counted failure failed, or null. */
    public @Nullable String lastFailure() {
        return lastFailure;
    }

    /** Returns when an open breaker lets its trials through, or null if it is not open on its own. */
    public @Nullable Instant halfOpenAt() {
        return mode == BreakerMode.AUTOMATIC && breaker.isOpen() ? halfOpenAt : null;
    }

    /** Holds the breaker open until {@link #automatic()} or {@link #forceClosed()}: no request reaches the backend. */
    public synchronized void forceOpen() {
        mode = BreakerMode.FORCED_OPEN;
        state.breakerOpen(true);
        breaker.open();
        LOG.warn("Route {}: backend {}'s circuit breaker held open by an operator", route, backendId);
    }

    /** Holds the breaker closed until {@link #automatic()}: requests flow whatever the failures. */
    public synchronized void forceClosed() {
        mode = BreakerMode.FORCED_CLOSED;
        breaker.close();
        state.breakerOpen(false);
        LOG.warn("Route {}: backend {}'s circuit breaker held closed by an operator", route, backendId);
    }

    /** Hands the breaker back to the backend's failures, closed and with its counts cleared. */
    public synchronized void automatic() {
        mode = BreakerMode.AUTOMATIC;
        breaker.close();
        state.breakerOpen(false);
        LOG.info("Route {}: backend {}'s circuit breaker is automatic again", route, backendId);
    }

    /**
     * Ends the breaker: its route was built again with other breaker settings, or is gone. It gives back its place
     * in the open share and its hold on the backend's state; what exchanges still in flight tell it changes nothing.
     */
    synchronized void retire() {
        retired = true;
        release();
        state.breakerOpen(false);
    }

    private synchronized void opened() {
        if (retired) {
            return;
        }
        if (mode == BreakerMode.FORCED_CLOSED) {
            // A failure counted just before an operator held the breaker closed opened it just after: closed it stays.
            veto();
            return;
        }
        if (mode == BreakerMode.AUTOMATIC && !holdsShare.get()) {
            if (!share.tryOpen()) {
                // Opening would cut off more of the route than it allows: the breaker stays closed, its counts
                // cleared, and may open later when others have closed.
                LOG.warn("Route {}: backend {}'s circuit breaker stays closed: {} of the route's breakers are open,"
                        + " the most it allows (circuitBreaker.maxOpenPercent); last failure: {}", route, backendId,
                        share.open(), lastFailure);
                veto();
                return;
            }
            holdsShare.set(true);
        }
        state.breakerOpen(true);
        if (mode == BreakerMode.AUTOMATIC) {
            halfOpenAt = clock.instant().plus(delay);
            LOG.warn("Route {}: backend {}'s circuit breaker opened for {} ms: {}", route, backendId,
                    delay.toMillis(), lastFailure);
            scheduler.schedule(this::delayOver, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        notifyListeners(BreakerState.OPEN);
    }

    /** Closes the breaker again as if it had never opened: no listener hears of it. */
    private void veto() {
        vetoing = true;
        try {
            breaker.close();
        } finally {
            vetoing = false;
        }
    }

    /** The open delay is over: let the trials through, unless something else moved the breaker meanwhile. */
    private synchronized void delayOver() {
        if (mode == BreakerMode.AUTOMATIC && breaker.isOpen()) {
            breaker.halfOpen();
        }
    }

    private synchronized void changed(BreakerState to) {
        if (vetoing || retired) {
            // The close that keeps a breaker from opening over the share: it never opened, as far as anyone knows.
            return;
        }
        if (to == BreakerState.CLOSED) {
            release();
        }
        state.breakerOpen(false);
        if (mode == BreakerMode.AUTOMATIC) {
            LOG.info("Route {}: backend {}'s circuit breaker is {}", route, backendId,
                    to == BreakerState.CLOSED ? "closed again" : "half-open: trial requests go through");
        }
        notifyListeners(to);
    }

    /** Gives back the breaker's place in the route's open share, if it holds one: closed, or its backend gone. */
    void release() {
        if (holdsShare.compareAndSet(true, false)) {
            share.closed();
        }
    }

    private void notifyListeners(BreakerState to) {
        Backend backend = pool.get(backendId);
        if (backend == null) {
            return;
        }
        for (HealthListener listener : listeners) {
            listener.breaker(route, backend, to);
        }
    }
}
