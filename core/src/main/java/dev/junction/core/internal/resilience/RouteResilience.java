package dev.junction.core.internal.resilience;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.junction.core.config.BreakerConfig;
import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.StatusRanges;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.pool.PoolListener;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendState;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;

/**
 * One route's resilience at run time: its backends' circuit breakers (created as backends appear, dropped as they
 * leave) and its retry policy, executor and budget.
 *
 * <p>Thread-safe.
 */
public final class RouteResilience {

    /** What an attempt tells the retry policy: send the request again, or this was the last attempt. */
    public enum Verdict { RETRY, DONE }

    private final String route;
    private final BackendPool pool;
    private final BreakerConfig breakerConfig;
    private final List<HealthListener> listeners;
    private final Clock clock;
    private final Map<BackendState, BackendBreaker> breakers = new ConcurrentHashMap<>();
    private final @Nullable FailsafeExecutor<Verdict> retryExecutor;
    private final @Nullable RetryBudget budget;
    private final @Nullable StatusRanges retryStatuses;
    private final Scheduler scheduler;
    private final OpenShare openShare;
    private final PoolListener dropGone;
    private volatile boolean started;

    /**
     * Creates the route's breakers and retries as configured.
     *
     * @param scheduler where retries wait for their backoff and open breakers for their delay
     * @param listeners told of breakers' changes; the caller may add to it later
     */
    public RouteResilience(RouteConfig route, BackendPool pool, Scheduler scheduler, Ticker ticker,
            List<HealthListener> listeners, Clock clock) {
        this(route, pool, scheduler, ticker, listeners, clock, null);
    }

    /**
     * Creates the route's breakers and retries as configured, taking over the breakers of {@code predecessor}: the
     * same route's, over the same pool, with the same breaker settings, before its retries changed.
     *
     * @param predecessor whose breakers (and their states) carry over, or null for none
     */
    public RouteResilience(RouteConfig route, BackendPool pool, Scheduler scheduler, Ticker ticker,
            List<HealthListener> listeners, Clock clock, @Nullable RouteResilience predecessor) {
        this.route = route.name();
        this.pool = pool;
        this.scheduler = scheduler;
        this.breakerConfig = route.circuitBreaker();
        this.listeners = listeners;
        this.clock = clock;
        this.openShare = predecessor != null ? predecessor.openShare
                : new OpenShare(pool, breakerConfig.maxOpenPercent());
        if (predecessor != null) {
            breakers.putAll(predecessor.breakers);
        }
        RetryConfig retries = route.retries();
        if (retries.enabled()) {
            this.retryExecutor = Failsafe.with(policy(retries)).with(new FailsafeScheduler(scheduler));
            this.budget = new RetryBudget(retries.budgetPercent(), retries.budgetMinPerSecond(), ticker);
            this.retryStatuses = retries.retryStatuses().isBlank() ? null : StatusRanges.parse(retries.retryStatuses());
        } else {
            this.retryExecutor = null;
            this.budget = null;
            this.retryStatuses = null;
        }
        this.dropGone = (change, backend, snapshot) -> {
            if (change == PoolListener.Change.REMOVED) {
                BackendBreaker gone = breakers.remove(backend.state());
                if (gone != null) {
                    gone.release();
                }
            }
        };
        if (breakerConfig.enabled()) {
            pool.addListener(dropGone);
        }
    }

    private static RetryPolicy<Verdict> policy(RetryConfig retries) {
        RetryPolicyBuilder<Verdict> policy = RetryPolicy.<Verdict>builder()
                .handleResult(Verdict.RETRY)
                .withMaxAttempts(retries.maxAttempts());
        if (retries.backoffMax().compareTo(retries.backoffBase()) > 0) {
            policy.withBackoff(retries.backoffBase(), retries.backoffMax()).withJitter(0.5);
        } else {
            policy.withDelay(retries.backoffBase());
        }
        if (!retries.deadline().isZero()) {
            policy.withMaxDuration(retries.deadline());
        }
        return policy.build();
    }

    /** Returns whether this took over the breakers of {@code predecessor}. */
    public boolean adopted(RouteResilience predecessor) {
        return openShare == predecessor.openShare;
    }

    /**
     * Stops following the pool: the route is gone or built again without these retries. Unless {@code breakersKept}
     * (a successor took them over), the breakers end, letting go of their backends: a new breaker
     * starts closed.
     */
    public void close(boolean breakersKept) {
        pool.removeListener(dropGone);
        if (!breakersKept) {
            breakers.values().forEach(BackendBreaker::retire);
        }
    }

    /** Starts the breakers: until then (and for a route without them) {@link #breaker} answers null. */
    public void start() {
        started = true;
    }

    /** Returns the breaker of a backend of this route, or null if the route has none. */
    public @Nullable BackendBreaker breaker(Backend backend) {
        if (!breakerConfig.enabled() || !started) {
            return null;
        }
        BackendBreaker existing = breakers.get(backend.state());
        if (existing != null) {
            // The common case, without the capturing lambda computeIfAbsent would cost every request.
            return existing;
        }
        return breakers.computeIfAbsent(backend.state(),
                state -> new BackendBreaker(route, pool, backend, breakerConfig, scheduler, listeners, clock,
                        openShare));
    }

    /** Returns the breaker of a backend if it has been created (the backend has had traffic or an operator). */
    public @Nullable BackendBreaker existingBreaker(Backend backend) {
        return breakerConfig.enabled() ? breakers.get(backend.state()) : null;
    }

    /** Returns the executor that runs a request's attempts under the retry policy, or null without retries. */
    public @Nullable FailsafeExecutor<Verdict> retryExecutor() {
        return retryExecutor;
    }

    /** Returns the route's retry budget, or null without retries. */
    public @Nullable RetryBudget budget() {
        return budget;
    }

    /** Returns whether a response status is one the route retries. */
    public boolean retriesStatus(int status) {
        return retryStatuses != null && retryStatuses.contains(status);
    }
}
