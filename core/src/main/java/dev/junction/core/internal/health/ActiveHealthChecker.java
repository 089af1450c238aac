package dev.junction.core.internal.health;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.pool.PoolListener;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendState;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthCheckResult;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;

/**
 * Checks each backend that has a {@link HealthCheckConfig health check} (its route's, or its own) every interval plus
 * a random jitter, on the gateway's own HTTP client and scheduler: no thread of its own and none of the request
 * path's. A backend leaves selection after the unhealthy threshold of failed checks and comes back after the healthy
 * threshold of passed ones; listeners hear of both. The check is the HTTP request the configuration describes, or a
 * {@link HealthCheck} of one's own; either way it is bounded by the check's timeout.
 *
 * <p>Unless a backend starts healthy, it takes no traffic before its first check: those checks are sent at
 * {@link #start}, which waits for them (up to the longest check timeout), as Envoy warms a cluster. Backends that
 * start healthy are first checked at a random point of their first interval, so the checks of a pool (and of many
 * gateways) spread out. Backends added to a pool later are checked the same way from the moment they are added;
 * removed ones are no longer checked.
 *
 * <p>Thread-safe.
 */
public final class ActiveHealthChecker {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final BiFunction<RouteConfig, HealthCheckConfig, HealthCheck> checks;
    private final Ticker ticker;
    private final Clock clock;
    /** Keyed by state, which a backend keeps when its definition is updated. */
    private final Map<BackendState, Probe> probes = new ConcurrentHashMap<>();
    private final Map<BackendPool, Followed> pools = new ConcurrentHashMap<>();
    private final List<HealthListener> listeners;
    private volatile @Nullable Scheduler scheduler;
    private volatile boolean running;

    /**
     * Creates a checker with no routes yet ({@link #add}); no check runs before {@link #start}.
     *
     * @param checks the check that carries out a check configuration of a route: the HTTP request, or one of one's own
     * @param listeners told of health changes; the caller may add to it later
     */
    public ActiveHealthChecker(BiFunction<RouteConfig, HealthCheckConfig, HealthCheck> checks, Ticker ticker,
            Clock clock,
            List<HealthListener> listeners) {
        this.checks = checks;
        this.ticker = ticker;
        this.clock = clock;
        this.listeners = listeners;
    }

    /** Creates the checks of a route's backends and follows its pool's changes. */
    public void add(RouteConfig route, BackendPool pool) {
        for (Backend backend : pool.all()) {
            probeFor(route, backend, checkOf(route, backend), null);
        }
        Followed followed = new Followed(route);
        followed.listener = (change, backend, snapshot) -> poolChanged(followed.route, change, backend);
        pools.put(pool, followed);
        pool.addListener(followed.listener);
    }

    /**
     * Takes a route's new settings: a backend whose check they leave as it was keeps its probe and its health;
     * one whose check changed is checked the new way from now on, keeping its traffic until that check says
     * otherwise; one no longer checked takes traffic.
     */
    public void update(RouteConfig route, BackendPool pool) {
        Followed followed = pools.get(pool);
        if (followed == null) {
            add(route, pool);
            return;
        }
        followed.route = route;
        for (Backend backend : pool.all()) {
            Probe probe = probes.get(backend.state());
            if (probe != null && probe.check.equals(checkOf(route, backend))) {
                probe.route = route;
            } else {
                poolChanged(route, PoolListener.Change.UPDATED, backend);
            }
        }
    }

    /** Stops checking a route's backends and following its pool: the route is gone. */
    public void remove(BackendPool pool) {
        Followed followed = pools.remove(pool);
        if (followed == null) {
            return;
        }
        pool.removeListener(followed.listener);
        for (Backend backend : pool.all()) {
            Probe probe = probes.remove(backend.state());
            if (probe != null) {
                probe.cancel();
            }
        }
    }

    /** A pool the checker follows, and the settings of its route now. */
    private static final class Followed {

        volatile RouteConfig route;
        PoolListener listener;

        Followed(RouteConfig route) {
            this.route = route;
        }
    }

    /** Returns the check in effect for a backend: its own, or else its route's. */
    public static HealthCheckConfig checkOf(RouteConfig route, Backend backend) {
        HealthCheckConfig own = backend.config().healthCheck();
        return own != null ? own : route.healthCheck();
    }

    /** Returns the health of {@code backend} as its checks tell it, or null if it has no active checks. */
    public @Nullable HealthTracker tracker(Backend backend) {
        Probe probe = probes.get(backend.state());
        return probe == null ? null : probe.tracker;
    }

    /** What {@link #start} began: the first checks of the backends that wait for one, and how long they may take. */
    public record FirstChecks(CompletableFuture<Void> done, long timeoutMillis) {
    }

    /**
     * Starts checking, on {@code scheduler}. Backends that do not start healthy are checked at once; the result
     * completes when those checks have ended (each bounded by its timeout) and says the longest timeout. Never blocks:
     * whoever starts Junction decides how long to wait for them.
     */
    public FirstChecks start(Scheduler scheduler) {
        this.scheduler = scheduler;
        running = true;
        List<CompletableFuture<Void>> first = new ArrayList<>();
        long wait = 0;
        for (Probe probe : probes.values()) {
            CompletableFuture<Void> done = probe.begin();
            if (done != null) {
                first.add(done);
                wait = Math.max(wait, probe.check.timeout().toMillis());
            }
        }
        return new FirstChecks(CompletableFuture.allOf(first.toArray(new CompletableFuture<?>[0])), wait);
    }

    /**
     * Checks every backend now, besides the periodic checks; the result completes when all of those checks have
     * ended. A backend whose check is in flight is not checked twice at once: its answer is that check's.
     */
    public CompletableFuture<Void> checkNow() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Probe probe : probes.values()) {
            all.add(probe.checkOnce());
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /** Stops checking: no check starts after this; one in flight ends without effect. */
    public void stop() {
        running = false;
        probes.values().forEach(Probe::cancel);
    }

    private void poolChanged(RouteConfig route, PoolListener.Change change, Backend backend) {
        Probe old = probes.get(backend.state());
        HealthCheckConfig check = checkOf(route, backend);
        switch (change) {
            case ADDED -> probeFor(route, backend, check, null);
            case REMOVED -> {
                if (old != null && probes.remove(backend.state(), old)) {
                    old.cancel();
                }
            }
            case UPDATED -> {
                if (old != null && old.check.equals(check)) {
                    old.backend = backend;
                    old.route = route;
                    return;
                }
                if (old != null && probes.remove(backend.state(), old)) {
                    old.cancel();
                }
                if (check.enabled()) {
                    // A backend that takes traffic now keeps it until its new check says otherwise.
                    probeFor(route, backend, check, backend.state().availability() == Availability.HEALTHY);
                } else if (old != null && backend.state().availability() == Availability.UNHEALTHY) {
                    LiveState.of(backend).healthVerdict(Availability.HEALTHY);
                    LOG.info("Route {}: backend {} is no longer checked and takes traffic", route.name(), backend.id());
                    listeners.forEach(listener -> listener.healthy(route.name(), backend));
                }
            }
        }
    }

    /**
     * Creates and registers the probe of a backend if it has a check; a probe created while running begins at once.
     *
     * @param startHealthy whether the backend counts as healthy before its first check, or null for the check's own
     *     setting
     */
    private void probeFor(RouteConfig route, Backend backend, HealthCheckConfig check, @Nullable Boolean startHealthy) {
        if (!check.enabled()) {
            return;
        }
        boolean healthy = startHealthy != null ? startHealthy : check.startHealthy();
        HealthCheck impl = checks.apply(route, check);
        Probe probe = new Probe(route, backend, check, impl,
                new HealthTracker(check.healthyThreshold(), check.unhealthyThreshold(), healthy, clock));
        probes.put(backend.state(), probe);
        if (running) {
            probe.begin();
        }
    }

    /** One backend's checks. */
    private final class Probe {

        private volatile RouteConfig route;
        private final HealthCheckConfig check;
        private final HealthCheck impl;
        private final HealthTracker tracker;
        private volatile Backend backend;
        private volatile Scheduler.@Nullable Task task;
        private volatile boolean cancelled;
        private final AtomicBoolean begun = new AtomicBoolean();
        /** The check in flight, if any: checks of one backend never overlap. */
        private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();

        Probe(RouteConfig route, Backend backend, HealthCheckConfig check, HealthCheck impl, HealthTracker tracker) {
            this.route = route;
            this.backend = backend;
            this.check = check;
            this.impl = impl;
            this.tracker = tracker;
        }

        /**
         * Starts the periodic checks: a backend that starts healthy at a random point of its first interval, any
         * other at once, after taking it out of selection until the check passes; returns that first check's end, or
         * null. Only the first call begins anything (a probe added while the checker starts may be begun twice).
         */
        @Nullable CompletableFuture<Void> begin() {
            if (!begun.compareAndSet(false, true)) {
                return null;
            }
            if (tracker.healthy()) {
                schedule(ThreadLocalRandom.current().nextLong(check.interval().toMillis() + 1));
                return null;
            }
            LiveState.of(backend).healthVerdict(Availability.UNHEALTHY);
            return run();
        }

        void cancel() {
            cancelled = true;
            Scheduler.Task scheduled = task;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }

        private boolean active() {
            return running && !cancelled;
        }

        private void schedule(long delayMillis) {
            Scheduler timer = scheduler;
            if (active() && timer != null) {
                task = timer.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
            }
        }

        /** Runs a periodic check (or joins the one in flight), then schedules the next; returns the check's end. */
        private CompletableFuture<Void> run() {
            if (!active()) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> ended = checkOnce();
            ended.whenComplete((ignored, failure) -> next());
            return ended;
        }

        /** Sends a check unless one is in flight; returns the end of the check that counts, this one or that one. */
        CompletableFuture<Void> checkOnce() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Void> current = inFlight.compareAndExchange(null, done);
            if (current != null) {
                return current;
            }
            CompletableFuture<Void> counted =
                    done.whenComplete((ignored, failure) -> inFlight.compareAndSet(done, null));
            send(done);
            return counted;
        }

        /** Sends one check; {@code done} completes once its result has been counted. */
        private void send(CompletableFuture<Void> done) {
            Scheduler timer = scheduler;
            if (!active() || timer == null) {
                done.complete(null);
                return;
            }
            long start = ticker.nanos();
            long timeout = check.timeout().toMillis();
            CompletableFuture<HealthCheckResult> verdict = new CompletableFuture<>();
            HealthCheckResult late = HealthCheckResult.unhealthy("no answer within " + timeout + " ms");
            AtomicReference<@Nullable CompletionStage<HealthCheckResult>> running = new AtomicReference<>();
            Scheduler.Task expiry = timer.schedule(() -> {
                verdict.complete(late);
                cancel(running.get());
            }, timeout, TimeUnit.MILLISECONDS);
            verdict.whenComplete((result, ignored) -> {
                expiry.cancel();
                completed(result, ticker.nanos() - start);
                done.complete(null);
            });
            try {
                CompletionStage<HealthCheckResult> stage = impl.check(backend, check);
                running.set(stage);
                if (verdict.isDone()) {
                    // The timeout passed while the check was being started.
                    cancel(stage);
                }
                if (stage == null) {
                    verdict.complete(HealthCheckResult.unhealthy(impl.getClass().getName() + " returned no result"));
                } else {
                    stage.whenComplete((result, failure) -> verdict.complete(result != null ? result
                            : HealthCheckResult.unhealthy(failure != null ? describe(failure)
                                    : impl.getClass().getName() + " completed without a result")));
                }
            } catch (RuntimeException e) {
                // The client is stopping or refuses the request, or the custom check failed: a failed check.
                verdict.complete(HealthCheckResult.unhealthy(describe(e)));
            }
        }

        /**
         * Cancels a check the checker gave up on, so it stops (its connection closed, its request aborted) instead
         * of running on; a check of one's own whose stage cannot be cancelled is left to end by itself.
         */
        private void cancel(@Nullable CompletionStage<HealthCheckResult> stage) {
            if (stage != null) {
                try {
                    stage.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException e) {
                    LOG.debug("Route {}: a check of backend {} cannot be cancelled", route.name(), backend.id());
                }
            }
        }

        private void next() {
            long interval = check.interval().toMillis();
            long jitter = check.effectiveJitter().toMillis();
            schedule(interval + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
        }

        private void completed(HealthCheckResult result, long tookNanos) {
            if (!active()) {
                return;
            }
            long latency = result.latency() != null ? result.latency().toNanos() : tookNanos;
            HealthTracker.Change change =
                    result.healthy() ? tracker.passed(latency) : tracker.failed(latency, result.details());
            Backend current = backend;
            Duration took = Duration.ofNanos(latency);
            listeners.forEach(listener -> listener.checked(route.name(), current, result.healthy(), took));
            if (change == HealthTracker.Change.BECAME_UNHEALTHY) {
                LiveState.of(current).healthVerdict(Availability.UNHEALTHY);
                LOG.warn("Route {}: backend {} is unhealthy after {} failed check(s): {}", route.name(), current.id(),
                        check.unhealthyThreshold(), result.details());
                listeners.forEach(listener -> listener.unhealthy(route.name(), current, result.details()));
            } else if (change == HealthTracker.Change.BECAME_HEALTHY) {
                LiveState.of(current).healthVerdict(Availability.HEALTHY);
                LOG.info("Route {}: backend {} is healthy after {} passed check(s)", route.name(), current.id(),
                        tracker.consecutiveSuccesses());
                listeners.forEach(listener -> listener.healthy(route.name(), current));
            }
        }
    }

    /** Describes a failure for the status and logs: its class and message, unwrapped from a completion. */
    static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
