package dev.junction.core.internal.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.jspecify.annotations.Nullable;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.junction.core.spi.Backend;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Transport;
import dev.junction.core.status.BreakerState;
import dev.junction.core.status.Reason;

/**
 * The meters of one Junction in one registry: it binds each route's {@link RouteMeters}, registers the gauges and
 * function counters that read Junction's own state when the registry is read, and, as a {@link HealthListener},
 * counts ejections, breaker transitions and health checks. {@link #close()} removes every meter it registered, so a
 * registry that outlives the Junction (a Spring application's) keeps nothing of it.
 *
 * <p>docs/operations.md lists every meter. Thread-safe.
 */
public final class JunctionMeters implements HealthListener, AutoCloseable {

    private final MeterRegistry registry;
    private final Set<Meter> registered = ConcurrentHashMap.newKeySet();
    /** The gauges of each backend, by route and backend id, replaced when the backend is. */
    private final Map<String, List<Meter>> backendGauges = new ConcurrentHashMap<>();
    /** The exchange meters of each route's runtime now, by route. */
    private final Map<String, RouteMeters> routeMeters = new ConcurrentHashMap<>();
    /** The meters that read the parts of each route, by route. */
    private final Map<String, List<Meter>> routeParts = new ConcurrentHashMap<>();

    public JunctionMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Returns the registry the meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Returns the meters of the route named {@code route}. */
    public RouteMeters route(String route) {
        RouteMeters made = new RouteMeters(this, route);
        routeMeters.put(route, made);
        return made;
    }

    /**
     * Removes every meter of a backend that left its route and has finished its requests (its exchanges' timers and
     * counters too): backends from DNS come and go with their addresses, and their series must not pile up.
     */
    public synchronized void forgetBackend(String route, String id) {
        removeBackend(route, id);
        RouteMeters meters = routeMeters.get(route);
        if (meters != null) {
            meters.forget(id);
        }
        for (Meter meter : registered) {
            if (route.equals(meter.getId().getTag("route")) && id.equals(meter.getId().getTag("backend"))) {
                registry.remove(meter);
                registered.remove(meter);
            }
        }
    }

    /** Registers the gauge of the exchanges in flight. */
    public <T> void inFlight(T engine, ToDoubleFunction<T> count) {
        register(Gauge.builder("junction.requests.active", engine, count)
                .description("Exchanges forwarded and not yet ended"));
    }

    /**
     * Registers the gauges of {@code backend} of {@code route}: requests in flight, whether it takes new requests and
     * why (one {@code junction.backend.reason} series per reason, 1 for the current one), and its breaker's state.
     *
     * @param inFlight reads the backend's requests in flight
     * @param reason reads why the backend does or does not take new requests
     * @param breaker reads the backend's breaker state, null while it has none (closed)
     * @param connections reads the transport's connections to the backend, or null if the transport does not count
     *     them
     */
    public synchronized void backend(String route, Backend backend, ToDoubleFunction<Backend> inFlight,
            Supplier<Reason> reason, Supplier<@Nullable BreakerState> breaker,
            @Nullable Supplier<Transport.Connections> connections) {
        String id = backend.id();
        removeBackend(route, id);
        List<Meter> gauges = new ArrayList<>();
        gauges.add(register(Gauge.builder("junction.backend.requests.active", backend, inFlight)
                .description("Requests in flight on a backend").tags("route", route, "backend", id)));
        gauges.add(register(Gauge.builder("junction.backend.available", reason,
                r -> r.get() == Reason.AVAILABLE ? 1 : 0)
                .description("1 while a backend takes new requests, else 0").tags("route", route, "backend", id)));
        for (Reason each : Reason.values()) {
            gauges.add(register(Gauge.builder("junction.backend.reason", reason, r -> r.get() == each ? 1 : 0)
                    .description("1 for the reason a backend does or does not take new requests, 0 for the others")
                    .tags("route", route, "backend", id, "reason", tag(each))));
        }
        for (BreakerState each : BreakerState.values()) {
            gauges.add(register(Gauge.builder("junction.breaker.state", breaker, b -> state(b.get()) == each ? 1 : 0)
                    .description("1 for the state a backend's circuit breaker is in, 0 for the others")
                    .tags("route", route, "backend", id, "state", tag(each))));
        }
        if (connections != null) {
            gauges.add(register(Gauge.builder("junction.backend.connections", connections, c -> c.get().active())
                    .description("Connections to a backend: carrying a request (active) or pooled (idle)")
                    .tags("route", route, "backend", id, "state", "active")));
            gauges.add(register(Gauge.builder("junction.backend.connections", connections, c -> c.get().idle())
                    .description("Connections to a backend: carrying a request (active) or pooled (idle)")
                    .tags("route", route, "backend", id, "state", "idle")));
        }
        backendGauges.put(route + '\n' + id, gauges);
    }

    /** Removes the gauges of a backend that left its route's pool (or is about to be registered anew). */
    public synchronized void removeBackend(String route, String id) {
        List<Meter> gauges = backendGauges.remove(route + '\n' + id);
        if (gauges != null) {
            for (Meter gauge : gauges) {
                registry.remove(gauge);
                registered.remove(gauge);
            }
        }
    }

    /** Registers the count of access-log lines dropped because the log could not keep up. */
    /** Registers the cluster's gauges: workers up, and the restarts of its workers after exits and failed checks. */
    public <T> void cluster(T cluster, ToDoubleFunction<T> up, ToDoubleFunction<T> restarts) {
        register(Gauge.builder("junction.cluster.workers.up", cluster, up)
                .description("Cluster workers answering their health checks and taking requests"));
        register(FunctionCounter.builder("junction.cluster.restarts", cluster, restarts)
                .description("Cluster workers started again after an exit, a failed start or failed checks"));
    }

    public <T> void accessLogDropped(T log, ToDoubleFunction<T> dropped) {
        register(FunctionCounter.builder("junction.access.log.dropped", log, dropped)
                .description("Access-log lines dropped because the logger could not keep up"));
    }

    /**
     * Registers the count of a route's selections that fell back: to a backup backend, or to any backend in panic.
     */
    public <T> void fallbacks(String route, T balancer, ToDoubleFunction<T> backups, ToDoubleFunction<T> panics) {
        part(route, register(FunctionCounter.builder("junction.selection.fallbacks", balancer, backups)
                .description("Selections that fell back: to a backup backend, or in panic to any backend")
                .tags("route", route, "kind", "backup")));
        part(route, register(FunctionCounter.builder("junction.selection.fallbacks", balancer, panics)
                .description("Selections that fell back: to a backup backend, or in panic to any backend")
                .tags("route", route, "kind", "panic")));
    }

    /**
     * Registers a zone-aware route's selections that spread over every zone although it prefers the gateway's
     * ({@code kind=zone_spill}).
     */
    public <T> void zoneSpills(String route, T balancer, ToDoubleFunction<T> spills) {
        part(route, register(FunctionCounter.builder("junction.selection.fallbacks", balancer, spills)
                .description("Selections that fell back: to a backup backend, or in panic to any backend")
                .tags("route", route, "kind", "zone_spill")));
    }

    /**
     * Registers one release group of a route: its share of the route's traffic in percent, and the exchanges its
     * backends ended and of those the errors, since start.
     */
    public <T> void releaseGroup(String route, String group, T release, ToDoubleFunction<T> share,
            ToDoubleFunction<T> exchanges, ToDoubleFunction<T> errors) {
        part(route, register(Gauge.builder("junction.release.share", release, share)
                .description("A release group's share of its route's traffic, in percent")
                .tags("route", route, "group", group)));
        part(route, register(FunctionCounter.builder("junction.release.exchanges", release, exchanges)
                .description("Exchanges a release group's backends ended").tags("route", route, "group", group)));
        part(route, register(FunctionCounter.builder("junction.release.errors", release, errors)
                .description("Exchanges a release group's backends ended in an error (5xx, or no answer)")
                .tags("route", route, "group", group)));
    }

    /** Registers the count of a route's automatic and asked-for rollbacks. */
    public <T> void rollbacks(String route, T release, ToDoubleFunction<T> rollbacks) {
        part(route, register(FunctionCounter.builder("junction.release.rollbacks", release, rollbacks)
                .description("Times a route's release groups were rolled back to the baseline")
                .tags("route", route)));
    }

    /**
     * Registers a route's queue: the requests waiting now, and since start those that left it by each way out
     * ({@code served}: woken for a backend; {@code refused}: the queue was full; {@code shed}: made room for a
     * higher class; {@code timed_out}: waited out its timeout).
     */
    public <T> void queue(String route, T queue, ToDoubleFunction<T> waiting, ToDoubleFunction<T> refused,
            ToDoubleFunction<T> shed, ToDoubleFunction<T> timedOut) {
        part(route, register(Gauge.builder("junction.queue.waiting", queue, waiting)
                .description("Requests waiting in the route's queue for a backend below its limit")
                .tags("route", route)));
        String description = "Requests that found the route's queue full, were shed from it, or waited out its timeout";
        part(route, register(FunctionCounter.builder("junction.queue.rejected", queue, refused)
                .description(description).tags("route", route, "reason", "full")));
        part(route, register(FunctionCounter.builder("junction.queue.rejected", queue, shed)
                .description(description).tags("route", route, "reason", "shed")));
        part(route, register(FunctionCounter.builder("junction.queue.rejected", queue, timedOut)
                .description(description).tags("route", route, "reason", "timed_out")));
    }

    /** Registers a route's adaptive concurrency limit: the limit now, and the requests shed at it since start. */
    public <T> void concurrency(String route, T limiter, ToDoubleFunction<T> limit, ToDoubleFunction<T> shed) {
        part(route, register(Gauge.builder("junction.concurrency.limit", limiter, limit)
                .description("The route's adaptive concurrency limit, as its algorithm has found it")
                .tags("route", route)));
        part(route, register(FunctionCounter.builder("junction.concurrency.shed", limiter, shed)
                .description("Requests refused (503) at the route's adaptive concurrency limit")
                .tags("route", route)));
    }

    /**
     * Registers a route's rate limits: the requests they refused since start, and the decisions of its shared limits
     * made without their store.
     */
    public <T> void rateLimits(String route, T limits, ToDoubleFunction<T> limited, ToDoubleFunction<T> alone) {
        part(route, register(FunctionCounter.builder("junction.ratelimit.limited", limits, limited)
                .description("Requests the route's rate limits refused (429, or 503 failing closed without the store)")
                .tags("route", route)));
        part(route, register(FunctionCounter.builder("junction.ratelimit.decided.alone", limits, alone)
                .description("Decisions of the route's shared rate limits made without their store")
                .tags("route", route)));
    }

    /**
     * Registers a route's scaling signal: 1 while it wants more backends, -1 while it could do with fewer, 0 between;
     * and its utilisation in percent as last sampled.
     */
    public <T> void scaling(String route, T watch, ToDoubleFunction<T> signal, ToDoubleFunction<T> utilisation) {
        part(route, register(Gauge.builder("junction.scaling.signal", watch, signal)
                .description("A route's scaling signal: 1 wants more backends, -1 could do with fewer, 0 neither")
                .tags("route", route)));
        part(route, register(Gauge.builder("junction.scaling.utilisation", watch, utilisation)
                .description("A route's requests in flight over its backends' capacity, in percent")
                .tags("route", route)));
    }

    @Override
    public void ejected(String route, Backend backend, String reason, Duration duration) {
        register(Counter.builder("junction.ejections").description("Backends ejected by outlier detection")
                .tags("route", route, "backend", backend.id())).increment();
    }

    @Override
    public void breaker(String route, Backend backend, BreakerState state) {
        register(Counter.builder("junction.breaker.transitions")
                .description("Circuit breaker transitions, by the state moved to")
                .tags("route", route, "backend", backend.id(), "state", tag(state))).increment();
    }

    @Override
    public void checked(String route, Backend backend, boolean healthy, Duration latency) {
        register(Timer.builder("junction.health.checks").description("Active health checks, by result")
                .tags("route", route, "backend", backend.id(), "result", healthy ? "healthy" : "unhealthy"))
                .record(latency.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Removes every meter registered here from the registry. */
    @Override
    public void close() {
        for (Meter meter : registered) {
            registry.remove(meter);
        }
        registered.clear();
    }

    Counter register(Counter.Builder builder) {
        return remember(builder.register(registry));
    }

    Timer register(Timer.Builder builder) {
        return remember(builder.register(registry));
    }

    private Gauge register(Gauge.Builder<?> builder) {
        // Held strongly: a gauge's function is often a lambda nothing else refers to.
        return remember(builder.strongReference(true).register(registry));
    }

    private FunctionCounter register(FunctionCounter.Builder<?> builder) {
        return remember(builder.register(registry));
    }

    /** Remembers a meter that reads a part of a route, replaced when the route is built again. */
    private void part(String route, Meter meter) {
        routeParts.computeIfAbsent(route, key -> new CopyOnWriteArrayList<>()).add(meter);
    }

    /**
     * Removes the meters that read the parts of a route (its balancer, queue, limits, release groups), which is about
     * to be built again and its parts registered anew.
     */
    public synchronized void removeRouteParts(String route) {
        List<Meter> parts = routeParts.remove(route);
        if (parts != null) {
            for (Meter meter : parts) {
                registry.remove(meter);
                registered.remove(meter);
            }
        }
    }

    /** Removes every meter of a route that left the configuration, its backends' and exchanges' included. */
    public synchronized void removeRoute(String route) {
        routeParts.remove(route);
        routeMeters.remove(route);
        backendGauges.keySet().removeIf(key -> key.startsWith(route + '\n'));
        for (Meter meter : registered) {
            if (route.equals(meter.getId().getTag("route"))) {
                registry.remove(meter);
                registered.remove(meter);
            }
        }
    }

    private <M extends Meter> M remember(M meter) {
        registered.add(meter);
        return meter;
    }

    private static BreakerState state(@Nullable BreakerState state) {
        return state == null ? BreakerState.CLOSED : state;
    }

    static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
