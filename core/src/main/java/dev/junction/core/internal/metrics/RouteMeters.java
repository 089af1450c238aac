package dev.junction.core.internal.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ExchangeListener.Outcome;

/**
 * What the engine records of one route's exchanges, attempts and retries. Meters are bound once per route and
 * backend, and once per tag combination on first use, so recording allocates nothing: a map lookup by backend id and
 * an array read, then the meter itself. {@link #NONE} records nothing, for a Junction without a registry.
 *
 * <p>Thread-safe.
 */
public final class RouteMeters {

    /** Why a retry the route would make was not made. */
    public enum RetryRefusal {
        /** The route's {@code maxAttempts} were used up. */
        ATTEMPTS,
        /** The route's retry deadline had passed. */
        DEADLINE,
        /** The route's retry budget was spent. */
        BUDGET;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** Records nothing. */
    public static final RouteMeters NONE = new RouteMeters(null, "");

    private final @Nullable JunctionMeters owner;
    private final String route;
    private final ConcurrentMap<String, BackendMeters> backends = new ConcurrentHashMap<>();
    /** The exchanges no backend took: refused, or answered by the fallback. */
    private final @Nullable BackendMeters none;
    private final @Nullable Counter retries;
    private final Counter[] retriesRefused;
    private final ConcurrentMap<String, Timer> queueWaits = new ConcurrentHashMap<>();

    RouteMeters(@Nullable JunctionMeters owner, String route) {
        this.owner = owner;
        this.route = route;
        if (owner == null) {
            this.none = null;
            this.retries = null;
            this.retriesRefused = new Counter[0];
            return;
        }
        this.none = new BackendMeters(owner, route, "none");
        this.retries = owner.register(Counter.builder("junction.retries")
                .description("Attempts made again after a failed one").tag("route", route));
        RetryRefusal[] reasons = RetryRefusal.values();
        this.retriesRefused = new Counter[reasons.length];
        for (RetryRefusal reason : reasons) {
            retriesRefused[reason.ordinal()] = owner.register(Counter.builder("junction.retries.refused")
                    .description("Retries the route would have made, refused by its limits")
                    .tags("route", route, "reason", reason.tag));
        }
    }

    /** Returns whether anything is recorded: false for {@link #NONE}. */
    public boolean on() {
        return owner != null;
    }

    /** Returns the route's name. */
    public String route() {
        return route;
    }

    /**
     * Records an exchange that ended.
     *
     * @param backend the backend of its last attempt, or null if none was tried
     * @param status the status the client got, 0 if its connection was closed instead
     * @param nanos the time from the request to the exchange's end
     * @param requestBytes the request body bytes read from the client
     * @param responseBytes the response body bytes of a backend written to the client
     */
    public void exchangeEnded(@Nullable Backend backend, int status, ExchangeResult result, long nanos,
            long requestBytes, long responseBytes) {
        if (owner == null) {
            return;
        }
        BackendMeters meters = backend == null ? none : of(backend);
        if (meters != null) {
            meters.exchangeEnded(status, result, nanos, requestBytes, responseBytes);
        }
    }

    /** Records an attempt on {@code backend} that ended with {@code outcome} after {@code nanos}. */
    public void attemptEnded(Backend backend, Outcome outcome, long nanos) {
        if (owner != null) {
            of(backend).attemptEnded(outcome, nanos);
        }
    }

    /**
     * Records how long a request waited in the route's queue, by its class, whichever way it left (served, shed, timed
     * out, or gone).
     */
    public void queueWaited(String priorityClass, long nanos) {
        JunctionMeters registry = owner;
        if (registry != null) {
            queueWaits.computeIfAbsent(priorityClass, name -> registry.register(Timer.builder("junction.queue.wait")
                    .description("Time requests waited in the route's queue, by priority class")
                    .tags("route", route, "class", name)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Counts a retry asked for. */
    public void retried() {
        Counter counter = retries;
        if (counter != null) {
            counter.increment();
        }
    }

    /** Counts a retry refused, and why. */
    public void retryRefused(RetryRefusal reason) {
        if (owner != null) {
            retriesRefused[reason.ordinal()].increment();
        }
    }

    /** Forgets the meters of a backend that left the route: one of the same id later binds new ones. */
    void forget(String id) {
        backends.remove(id);
    }

    /** Returns the meters of {@code backend}, bound on its first exchange. */
    BackendMeters of(Backend backend) {
        BackendMeters meters = backends.get(backend.id());
        if (meters == null) {
            JunctionMeters registry = owner;
            if (registry == null) {
                throw new IllegalStateException("no meters");
            }
            meters = backends.computeIfAbsent(backend.id(), id -> new BackendMeters(registry, route, id));
        }
        return meters;
    }
}
