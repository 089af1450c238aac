package dev.junction.core.internal.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.OutlierDetectionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;

/**
 * Ejects a route's backends on what real traffic tells: failed responses or failed connections in a row (see
 * {@link OutlierDetectionConfig}). An ejection lasts the base time multiplied by the backend's number of ejections,
 * at most the maximum; the count starts again once a backend has gone the maximum time without one. The end of an
 * ejection is a task on the gateway's scheduler. Never more than the configured share of the route's backends is
 * ejected at once.
 *
 * <p>Thread-safe: outcomes arrive from any thread; each backend's counts are guarded by its own monitor.
 */
public final class OutlierDetector {

    private static final Logger LOG = LoggerFactory.getLogger(OutlierDetector.class);

    private final String route;
    private final BackendPool pool;
    private final Ticker ticker;
    private final Clock clock;
    private final OutlierDetectionConfig config;
    private final List<HealthListener> listeners;
    /**
     * By backend id: {@link BackendPool#update} replaces a backend's object (same id, same live state), and its
     * record of failures and ejections must carry over.
     */
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();
    private volatile @Nullable Scheduler scheduler;
    private volatile long lastLatencyLookNanos;
    private volatile boolean lookedAtLatency;

    /**
     * Creates the detector of a route's pool.
     *
     * @param listeners told of ejections and their ends; the caller may add to it later
     */
    public OutlierDetector(RouteConfig route, BackendPool pool, List<HealthListener> listeners, Ticker ticker,
            Clock clock) {
        this.route = route.name();
        this.pool = pool;
        this.config = route.outlierDetection();
        this.listeners = listeners;
        this.ticker = ticker;
        this.clock = clock;
    }

    /** Starts ejecting; ejections end by tasks on {@code scheduler}. */
    public void start(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Stops ejecting: ejected backends stay as they are. */
    public void stop() {
        this.scheduler = null;
    }

    /** A response under 500 came from {@code backend}. */
    public void succeeded(Backend backend) {
        if (config.enabled()) {
            Counts of = counts(backend);
            synchronized (of) {
                of.failedResponses = 0;
                of.failedConnections = 0;
            }
            if (config.latencyPercentOfMedian() > 0) {
                lookAtLatency(ticker.nanos());
            }
        }
    }

    /**
     * Ejects the backends whose response-time average is above the configured share of the route's median: at most
     * once a second, from the request that ends after it (off the path of the others).
     */
    private void lookAtLatency(long now) {
        if (lookedAtLatency && now - lastLatencyLookNanos < TimeUnit.SECONDS.toNanos(1)) {
            return;
        }
        lastLatencyLookNanos = now;
        lookedAtLatency = true;
        List<Backend> measured = new ArrayList<>();
        for (Backend backend : pool.all()) {
            if (!backend.disabled() && !backend.state().ejected() && backend.state().responseTimeNanos() > 0) {
                measured.add(backend);
            }
        }
        if (measured.size() < 3) {
            return;
        }
        double[] times = new double[measured.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = measured.get(i).state().responseTimeNanos();
        }
        Arrays.sort(times);
        double median = times.length % 2 == 1 ? times[times.length / 2]
                : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
        double limit = median * config.latencyPercentOfMedian() / 100.0;
        for (Backend backend : measured) {
            double time = backend.state().responseTimeNanos();
            if (time > limit) {
                eject(backend, counts(backend), String.format(Locale.ROOT,
                        "response time %.1f ms, above %d%% of the route's median %.1f ms", time / 1e6,
                        config.latencyPercentOfMedian(), median / 1e6));
            }
        }
    }

    /** {@code backend} answered 5xx, or no valid response came from it ({@code reason} says which). */
    public void responseFailed(Backend backend, String reason) {
        if (!config.enabled() || config.consecutive5xx() == 0) {
            return;
        }
        Counts of = counts(backend);
        boolean eject;
        synchronized (of) {
            of.failedConnections = 0;
            eject = ++of.failedResponses >= config.consecutive5xx();
        }
        if (eject) {
            eject(backend, of, config.consecutive5xx() + " failed responses in a row, the last: " + reason);
        }
    }

    /** No connection to {@code backend} could be made ({@code reason} says why). */
    public void connectFailed(Backend backend, String reason) {
        if (!config.enabled() || config.consecutiveConnectFailures() == 0) {
            return;
        }
        Counts of = counts(backend);
        boolean eject;
        synchronized (of) {
            eject = ++of.failedConnections >= config.consecutiveConnectFailures();
        }
        if (eject) {
            eject(backend, of, config.consecutiveConnectFailures() + " failed connections in a row, the last: "
                    + reason);
        }
    }

    /** Returns when {@code backend}'s ejection ends, or null if it is not ejected. */
    public @Nullable Instant ejectedUntil(Backend backend) {
        Counts of = counts.get(backend.id());
        if (of == null) {
            return null;
        }
        synchronized (of) {
            return of.until;
        }
    }

    private Counts counts(Backend backend) {
        Counts of = counts.get(backend.id());
        if (of != null) {
            return of;
        }
        if (counts.size() >= 2 * Math.max(8, pool.all().size())) {
            // Backends removed from the pool leave their records behind: drop those, so churn cannot grow the map.
            counts.keySet().removeIf(id -> pool.get(id) == null);
        }
        return counts.computeIfAbsent(backend.id(), key -> new Counts());
    }

    private void eject(Backend backend, Counts of, String reason) {
        Scheduler ends = scheduler;
        if (ends == null) {
            return;
        }
        Duration duration;
        synchronized (this) {
            if (backend.state().ejected()) {
                return;
            }
            List<Backend> all = pool.all();
            int ejected = 0;
            for (Backend each : all) {
                if (each.state().ejected()) {
                    ejected++;
                }
            }
            int allowed = all.size() * config.maxEjectionPercent() / 100;
            if (ejected + 1 > allowed) {
                LOG.debug("Route {}: backend {} not ejected: {} of {} backends may be ejected at once", route,
                        backend.id(), allowed, all.size());
                return;
            }
            long now = ticker.nanos();
            synchronized (of) {
                long quiet = now - of.lastEjectionEndNanos;
                if (of.lastEjectionEndNanos != 0 && quiet > config.maxEjectionTime().toNanos()) {
                    of.ejections = 0;
                }
                of.ejections++;
                of.failedResponses = 0;
                of.failedConnections = 0;
                Duration scaled = config.baseEjectionTime().multipliedBy(of.ejections);
                duration = scaled.compareTo(config.maxEjectionTime()) > 0 ? config.maxEjectionTime() : scaled;
            }
            LiveState.of(backend).ejected(true);
            synchronized (of) {
                of.until = clock.instant().plus(duration);
            }
        }
        LOG.warn("Route {}: backend {} ejected for {} ms: {}", route, backend.id(), duration.toMillis(),
                reason);
        for (HealthListener listener : listeners) {
            listener.ejected(route, backend, reason, duration);
        }
        ends.schedule(() -> restore(backend, of), duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void restore(Backend ejected, Counts of) {
        synchronized (of) {
            of.lastEjectionEndNanos = ticker.nanos();
            of.until = null;
        }
        // The backend as the pool has it now: it may have been updated while ejected.
        Backend current = pool.get(ejected.id());
        Backend backend = current != null ? current : ejected;
        LiveState.of(backend).ejected(false);
        LOG.info("Route {}: backend {} back from ejection", route, backend.id());
        for (HealthListener listener : listeners) {
            listener.restored(route, backend);
        }
    }

    /** One backend's failures in a row and ejections. */
    private static final class Counts {
        int failedResponses;
        int failedConnections;
        int ejections;
        long lastEjectionEndNanos;
        @Nullable Instant until;
    }
}
