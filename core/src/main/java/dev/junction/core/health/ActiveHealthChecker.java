package dev.junction.core.health;

import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.config.HealthCheckConfig;
import dev.junction.core.config.StatusRanges;
import dev.junction.core.pool.Availability;
import dev.junction.core.pool.Backend;
import dev.junction.core.route.Route;

/**
 * Sends each backend of every route that has a {@link HealthCheckConfig health check} its check request, every
 * interval plus a random jitter, on the gateway's own HTTP client and scheduler: no thread of its own and none of
 * the request path's. Each backend's first check comes at a random point of its first interval, so the checks of a
 * pool (and of many gateways) spread out. A backend leaves selection after the unhealthy threshold of failed checks
 * and comes back after the healthy threshold of passed ones; listeners hear of both.
 *
 * <p>Thread-safe.
 */
public final class ActiveHealthChecker {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthChecker.class);
    private static final String USER_AGENT = "Junction-HealthCheck";

    private final HttpClient client;
    private final Map<Backend, Probe> probes = new IdentityHashMap<>();
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    /** Creates the checks of {@code routes}' backends; none runs before {@link #start}. */
    public ActiveHealthChecker(List<Route> routes, HttpClient client, Clock clock) {
        this.client = client;
        for (Route route : routes) {
            HealthCheckConfig check = route.config().healthCheck();
            if (!check.enabled()) {
                continue;
            }
            StatusRanges expected = StatusRanges.parse(check.expectedStatuses());
            for (Backend backend : route.pool().all()) {
                probes.put(backend, new Probe(route, backend, check, expected,
                        new HealthTracker(check.healthyThreshold(), check.unhealthyThreshold(), clock)));
            }
        }
    }

    /** Adds a listener of health changes. */
    public void addListener(HealthListener listener) {
        listeners.add(listener);
    }

    /** Returns the health of {@code backend} as its checks tell it, or null if its route has no active checks. */
    public @Nullable HealthTracker tracker(Backend backend) {
        Probe probe = probes.get(backend);
        return probe == null ? null : probe.tracker;
    }

    /** Starts checking, on {@code scheduler}. */
    public void start(Scheduler scheduler) {
        running = true;
        for (Probe probe : probes.values()) {
            long interval = probe.check.interval().toMillis();
            probe.schedule(scheduler, ThreadLocalRandom.current().nextLong(interval + 1));
        }
    }

    /** Stops checking: no check starts after this; one in flight ends without effect. */
    public void stop() {
        running = false;
        for (Probe probe : new ArrayList<>(probes.values())) {
            probe.cancel();
        }
    }

    /** One backend's checks. */
    private final class Probe {

        private final Route route;
        private final Backend backend;
        private final HealthCheckConfig check;
        private final StatusRanges expected;
        private final HealthTracker tracker;
        private volatile Scheduler.@Nullable Task task;

        Probe(Route route, Backend backend, HealthCheckConfig check, StatusRanges expected, HealthTracker tracker) {
            this.route = route;
            this.backend = backend;
            this.check = check;
            this.expected = expected;
            this.tracker = tracker;
        }

        void schedule(Scheduler scheduler, long delayMillis) {
            if (running) {
                task = scheduler.schedule(() -> run(scheduler), delayMillis, TimeUnit.MILLISECONDS);
            }
        }

        void cancel() {
            Scheduler.Task scheduled = task;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }

        private void run(Scheduler scheduler) {
            if (!running) {
                return;
            }
            long start = System.nanoTime();
            try {
                client.newRequest(backend.origin())
                        .method(check.method())
                        .path(backend.basePath() + check.path())
                        .timeout(check.timeout().toMillis(), TimeUnit.MILLISECONDS)
                        .headers(headers -> headers.put(HttpHeader.USER_AGENT, USER_AGENT))
                        .send(result -> {
                            completed(result, System.nanoTime() - start);
                            next(scheduler);
                        });
            } catch (RuntimeException e) {
                // The client is stopping, or refuses the request: count it and try again next interval.
                completed(null, System.nanoTime() - start);
                next(scheduler);
            }
        }

        private void next(Scheduler scheduler) {
            long interval = check.interval().toMillis();
            long jitter = check.effectiveJitter().toMillis();
            schedule(scheduler, interval + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
        }

        private void completed(@Nullable Result result, long tookNanos) {
            if (!running) {
                return;
            }
            String failure = failure(result);
            HealthTracker.Change change =
                    failure == null ? tracker.passed(tookNanos) : tracker.failed(tookNanos, failure);
            if (change == HealthTracker.Change.BECAME_UNHEALTHY) {
                backend.state().availability(Availability.UNHEALTHY);
                LOG.warn("Route {}: backend {} is unhealthy after {} failed checks: {}", route.name(), backend.id(),
                        check.unhealthyThreshold(), failure);
                listeners.forEach(listener -> listener.unhealthy(route, backend, String.valueOf(failure)));
            } else if (change == HealthTracker.Change.BECAME_HEALTHY) {
                backend.state().availability(Availability.HEALTHY);
                LOG.info("Route {}: backend {} is healthy again after {} passed checks", route.name(), backend.id(),
                        check.healthyThreshold());
                listeners.forEach(listener -> listener.healthy(route, backend));
            }
        }

        /** Returns why the check failed, or null if it passed. */
        private @Nullable String failure(@Nullable Result result) {
            if (result == null) {
                return "check not sent";
            }
            if (result.isFailed()) {
                Throwable cause = result.getFailure();
                if (cause instanceof TimeoutException) {
                    return "no answer within " + check.timeout().toMillis() + " ms";
                }
                return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            int status = result.getResponse().getStatus();
            return expected.contains(status) ? null : "status " + status + " (expected " + expected + ")";
        }
    }
}
