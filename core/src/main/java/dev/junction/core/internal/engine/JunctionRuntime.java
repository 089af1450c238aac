package dev.junction.core.internal.engine;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.ProtocolTransports;
import dev.junction.core.internal.Transports;
import dev.junction.core.internal.accesslog.AccessLog;
import dev.junction.core.internal.admin.AdminEndpoint;
import dev.junction.core.internal.health.ActiveHealthChecker;
import dev.junction.core.internal.balance.RouteBalancer;
import dev.junction.core.internal.health.HttpHealthCheck;
import dev.junction.core.internal.limit.ConcurrencyLimiter;
import dev.junction.core.internal.limit.RouteLimits;
import dev.junction.core.internal.limit.SharedStore;
import dev.junction.core.internal.metrics.JunctionMeters;
import dev.junction.core.internal.metrics.RouteMeters;
import dev.junction.core.internal.tracing.Observations;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.pool.PoolListener;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ExchangeListener;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.Transport;
import dev.junction.core.transport.JettyTransport;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.BreakerState;
import dev.junction.core.status.ConcurrencyStatus;
import dev.junction.core.status.QueueStatus;
import dev.junction.core.status.Reason;
import dev.junction.core.status.RouteStatus;

/**
 * A Junction at run time: its routes' runtimes, the engine, the health checker, the listeners, and the lifecycle that
 * ties them to the transport and the scheduler. Built once per configuration by {@code Junction.Builder}.
 *
 * <p>Thread-safe. {@link #start} and {@link #close} are called once each, in that order, by the facade.
 */
public final class JunctionRuntime implements AdminEndpoint.Operations {

    private static final Logger LOG = LoggerFactory.getLogger(JunctionRuntime.class);

    private final JunctionConfig config;
    private final List<RouteRuntime> routes;
    private final Engine engine;
    private final ActiveHealthChecker health;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final ProtocolTransports transport;
    private final Scheduler scheduler;
    private final @Nullable AdminEndpoint admin;
    private final @Nullable JunctionMeters meters;
    private final @Nullable AccessLog accessLog;
    /** Where the routes' shared rate limits keep their buckets, or null if none is shared. */
    private final @Nullable SharedStore sharedStore;
    /** Set once the first health checks have ended: Junction is ready from then on, if its routes are. */
    private volatile boolean started;
    /** Set as {@link #close} begins: Junction drains and is no longer ready. */
    private volatile boolean closing;
    /** The registry Junction made for its admin endpoint, closed with it; null if one was handed in or none made. */
    private final @Nullable MeterRegistry ownRegistry;

    /**
     * Builds the runtime of a validated configuration whose extensions are resolved.
     *
     * @param listeners told of health changes from the start; more may be added later
     * @param registry where metrics are recorded, or null: then, if the admin endpoint serves metrics, into a
     *     Prometheus registry of Junction's own, else nowhere
     * @param observations where exchanges and attempts are observed ({@link ObservationRegistry#NOOP}: nowhere)
     */
    public JunctionRuntime(JunctionConfig config, Extensions extensions, Transport transport, Scheduler scheduler,
            Ticker ticker, Clock clock, List<HealthListener> listeners, List<ExchangeListener> exchangeListeners,
            @Nullable MeterRegistry registry, ObservationRegistry observations) {
        this.config = config;
        this.transport = new ProtocolTransports(transport,
                () -> JettyTransport.createHttp2(config.client(), Transports.longestConnect(config), config.limits()));
        this.scheduler = scheduler;
        boolean served = config.admin().enabled() && config.admin().metrics();
        this.ownRegistry = registry == null && served ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
        MeterRegistry recording = registry != null ? registry : ownRegistry;
        this.meters = recording == null ? null : new JunctionMeters(recording);
        // First listener: a health change may move its route into or out of panic.
        this.listeners.add(new PanicWatch(this.listeners, this));
        if (meters != null) {
            this.listeners.add(meters);
        }
        this.listeners.addAll(listeners);
        this.sharedStore = RouteLimits.store(config, scheduler, ticker);
        Admission admission = new Admission(config.limits(), config.routes().size());
        List<RouteRuntime> built = new ArrayList<>(config.routes().size());
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig route = config.routes().get(i);
            built.add(new RouteRuntime(i, route, extensions.strategy(i), ticker, clock, scheduler, this.listeners,
                    meters == null ? RouteMeters.NONE : meters.route(route.name()), extensions.tls(i),
                    RouteLimits.of(route, config.sharedLimits(), sharedStore, extensions.keyResolvers()),
                    extensions.priorityResolver(route.queue().classResolver()), admission, config.client().zone()));
        }
        this.routes = List.copyOf(built);
        for (RouteRuntime route : routes) {
            if (route.queue() != null) {
                QueueWake wake = new QueueWake(route);
                this.listeners.add(wake);
                route.pool().addListener(wake);
            }
        }
        for (RouteConfig route : config.routes()) {
            if (route.tls().insecureSkipVerify()) {
                LOG.warn("Route {}: tls.insecureSkipVerify is on: the certificates of its https backends are NOT"
                        + " verified, and anyone on the path can pose as them. For development only.", route.name());
            }
        }
        Map<String, RouteRuntime> byName = new HashMap<>();
        routes.forEach(route -> byName.put(route.name(), route));
        this.health = new ActiveHealthChecker((route, check) -> {
            HealthCheck custom = extensions.custom(check);
            return custom != null ? custom
                    : new HttpHealthCheck(this.transport, check, byName.get(route.name())::tls);
        }, ticker, clock, this.listeners);
        for (RouteRuntime route : routes) {
            health.add(route.config(), route.pool());
        }
        this.admin = config.admin().enabled() ? new AdminEndpoint(this, config.admin()) : null;
        this.accessLog = config.accessLog().enabled()
                ? new AccessLog(config.accessLog().format(), clock.getZone()) : null;
        this.engine = new Engine(routes, admin, this.transport, config.limits(), admission,
                shortestTimeoutMillis(config), ticker, exchangeListeners, accessLog, clock,
                Observations.of(observations));
        if (meters != null) {
            bindMeters(meters);
        }
    }

    /** Registers the gauges and counters that read the routes' state, and keeps the backends' up to date. */
    private void bindMeters(JunctionMeters bound) {
        bound.inFlight(engine, Engine::inFlight);
        if (accessLog != null) {
            bound.accessLogDropped(accessLog, AccessLog::dropped);
        }
        for (RouteRuntime route : routes) {
            bound.fallbacks(route.name(), route.balancer(), RouteBalancer::backupSelections,
                    RouteBalancer::panicSelections);
            if (route.config().zoneAware().enabled()) {
                bound.zoneSpills(route.name(), route.balancer(), RouteBalancer::spilledSelections);
            }
            ReleaseGroups release = route.release();
            if (release != null) {
                List<String> groups = route.config().groups();
                for (int i = 0; i < groups.size(); i++) {
                    int group = i;
                    bound.releaseGroup(route.name(), groups.get(i), release, r -> r.share(group),
                            r -> r.exchanges(group), r -> r.errors(group));
                }
                bound.rollbacks(route.name(), release, ReleaseGroups::rollbacks);
            }
            RouteQueue queue = route.queue();
            if (queue != null) {
                bound.queue(route.name(), queue, RouteQueue::depth, RouteQueue::refused, RouteQueue::shed,
                        RouteQueue::expired);
            }
            ConcurrencyLimiter limiter = route.concurrency();
            if (limiter != null) {
                bound.concurrency(route.name(), limiter, ConcurrencyLimiter::limit, ConcurrencyLimiter::shed);
            }
            RouteLimits limits = route.limits();
            if (limits != null) {
                bound.rateLimits(route.name(), limits, RouteLimits::limitedCount, RouteLimits::aloneCount);
            }
            for (Backend backend : route.pool().all()) {
                bindBackend(bound, route, backend);
            }
            route.pool().addListener((change, backend, snapshot) -> {
                if (change == PoolListener.Change.REMOVED) {
                    bound.removeBackend(route.name(), backend.id());
                } else {
                    bindBackend(bound, route, backend);
                }
            });
        }
    }

    private void bindBackend(JunctionMeters bound, RouteRuntime route, Backend backend) {
        URI origin = backend.origin();
        Supplier<Transport.Connections> connections = () -> {
            Transport.Connections counted = transport.connections(origin);
            return counted != null ? counted : NO_CONNECTIONS;
        };
        bound.backend(route.name(), backend, member -> member.state().inFlight(), () -> Statuses.reason(backend),
                () -> {
                    BackendBreaker breaker = route.resilience().existingBreaker(backend);
                    return breaker == null ? null : breaker.state();
                }, transport.connections(origin) != null ? connections : null);
    }

    private static final Transport.Connections NO_CONNECTIONS = new Transport.Connections(0, 0);

    private static long shortestTimeoutMillis(JunctionConfig config) {
        long shortest = Long.MAX_VALUE;
        for (RouteConfig route : config.routes()) {
            shortest = Math.min(shortest, Math.min(route.timeouts().connect().toMillis(),
                    route.timeouts().response().toMillis()));
        }
        return shortest;
    }

    /**
     * Starts the transport if {@code ownTransport} (else its maker has), then timers and checks; waits for the first
     * checks of backends that do not start healthy (up to the longest check timeout).
     *
     * @throws IllegalStateException if the transport cannot start, or the thread is interrupted while waiting
     */
    public void start(boolean ownTransport) {
        try {
            if (ownTransport) {
                transport.start();
            }
            try {
                transport.prepare(config);
            } catch (IllegalStateException e) {
                // Nothing serves yet: what started stops again, and the start fails with the reason.
                if (ownTransport) {
                    transport.stop();
                }
                throw e;
            }
            startChecks();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Junction was interrupted while starting", e);
        } catch (Exception e) {
            throw new IllegalStateException("Junction could not start its transport", e);
        }
    }

    private void startChecks() throws InterruptedException {
        SharedStore store = sharedStore;
        if (store != null) {
            // A moment for the first connection, so the first requests find their limits shared.
            store.start(Math.max(1000, config.sharedLimits().timeout().toMillis()));
        }
        engine.start(scheduler);
        for (RouteRuntime route : routes) {
            route.start(scheduler);
        }
        ActiveHealthChecker.FirstChecks first = health.start(scheduler);
        // A backend that must pass a check before it takes traffic gets its first one now: wait for them, as Envoy
        // warms a cluster, up to the longest check timeout (with a margin for the scheduler).
        long wait = first.timeoutMillis() + 1000;
        try {
            first.done().get(wait, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("First health checks not all answered in {} ms; their backends wait for them", wait);
        }
        // From now on a backend that comes back ramps up; the first verdicts above found every backend new.
        listeners.add(1, new SlowStartWatch(this));
        started = true;
        LOG.info("Junction started: {} route(s)", routes.size());
        if (admin != null) {
            LOG.info("Admin endpoint at {} ({})", admin.path(), config.admin().token() != null ? "token required"
                    : "no token: anyone who reaches it may read the status and run checks");
        }
    }

    /**
     * Stops checks and ejections, lets exchanges in flight finish, up to {@code grace}, then stops the transport if
     * {@code ownTransport}.
     */
    public void close(Duration grace, boolean ownTransport) {
        closing = true;
        health.stop();
        for (RouteRuntime route : routes) {
            route.stop();
        }
        try {
            if (!engine.awaitDrained(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Junction stopping with {} exchange(s) and {} tunnel(s) still open after {}",
                        engine.inFlight(), engine.tunnels(), grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.closeTunnels();
        engine.stop();
        if (sharedStore != null) {
            sharedStore.close();
        }
        if (accessLog != null) {
            accessLog.close();
        }
        if (meters != null) {
            meters.close();
        }
        if (ownRegistry != null) {
            ownRegistry.close();
        }
        try {
            if (ownTransport) {
                transport.stop();
            } else {
                transport.stopHttp2();
            }
        } catch (Exception e) {
            LOG.warn("Junction's transport did not stop cleanly", e);
        }
    }

    public Engine engine() {
        return engine;
    }

    public List<RouteRuntime> routes() {
        return routes;
    }

    /** Returns the route named {@code name}, or null. */
    public @Nullable RouteRuntime route(String name) {
        for (RouteRuntime route : routes) {
            if (route.name().equals(name)) {
                return route;
            }
        }
        return null;
    }

    /** Adds a listener of health changes. */
    public void addHealthListener(HealthListener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> checkHealth() {
        return health.checkNow();
    }

    @Override
    public List<RouteStatus> status() {
        List<RouteStatus> statuses = new ArrayList<>(routes.size());
        for (RouteRuntime route : routes) {
            List<BackendStatus> backends = new ArrayList<>();
            for (Backend backend : route.pool().all()) {
                backends.add(Statuses.of(backend, health.tracker(backend), route.outliers().ejectedUntil(backend),
                        route.config().circuitBreaker().enabled(), route.resilience().existingBreaker(backend)));
            }
            RouteTotals totals = route.totals();
            RouteQueue queue = route.queue();
            QueueStatus waiting = queue == null ? null : queueStatus(queue, route.config().queue().maxWaiting());
            RouteLimits limits = route.limits();
            statuses.add(new RouteStatus(route.name(), route.prefix(), route.config().strategy().name(),
                    route.balancer().panicking(), totals.exchanges(), totals.errors(), totals.millis(), waiting,
                    limits == null ? null : limits.status(), concurrency(route.concurrency()),
                    route.release() == null ? null : route.release().status(), backends));
        }
        return statuses;
    }

    private static @Nullable ConcurrencyStatus concurrency(@Nullable ConcurrencyLimiter limiter) {
        return limiter == null ? null
                : new ConcurrencyStatus(limiter.algorithm(), limiter.limit(), limiter.inFlight(), limiter.shed());
    }

    private static QueueStatus queueStatus(RouteQueue queue, int maxWaiting) {
        int[] depths = queue.depthByClass();
        Map<String, Integer> byClass = new LinkedHashMap<>();
        int waiting = 0;
        for (int i = 0; i < depths.length; i++) {
            byClass.put(queue.classes().get(i), depths[i]);
            waiting += depths[i];
        }
        return new QueueStatus(waiting, byClass, maxWaiting, queue.queued(), queue.refused(), queue.shed(),
                queue.expired(), queue.meanWaitMillis());
    }

    @Override
    public boolean hasRoute(String route) {
        return route(route) != null;
    }

    @Override
    public AdminEndpoint.@Nullable ReleaseControl release(String route) {
        RouteRuntime found = route(route);
        return found == null ? null : found.release();
    }

    @Override
    public boolean hasBackend(String route, String backend) {
        RouteRuntime found = route(route);
        return found != null && found.pool().get(backend) != null;
    }

    @Override
    public @Nullable BackendBreaker breaker(String route, String backend) {
        RouteRuntime found = route(route);
        Backend member = found == null ? null : found.pool().get(backend);
        return member == null ? null : found.resilience().breaker(member);
    }

    /**
     * Ready when started, not stopping, and each route of {@code admin.readyRoutes} (every route if it names none) has
     * a backend that takes requests or is only at its limit of requests in flight (a busy backend is not a reason to
     * take the instance out of rotation, which would only move the load).
     */
    @Override
    public AdminEndpoint.Readiness readiness() {
        if (closing) {
            return new AdminEndpoint.Readiness(false, List.of("draining: Junction is stopping; it finishes the"
                    + " exchanges in flight and takes no new ones"));
        }
        if (!started) {
            return new AdminEndpoint.Readiness(false, List.of("starting: the first health checks have not all"
                    + " ended"));
        }
        List<String> named = config.admin().readyRoutes();
        List<String> reasons = new ArrayList<>();
        for (RouteRuntime route : routes) {
            if ((named.isEmpty() || named.contains(route.name())) && !servable(route)) {
                reasons.add("route '" + route.name() + "': no backend takes requests");
            }
        }
        return new AdminEndpoint.Readiness(reasons.isEmpty(), reasons);
    }

    private static boolean servable(RouteRuntime route) {
        for (Backend backend : route.pool().all()) {
            Reason reason = Statuses.reason(backend);
            if (reason == Reason.AVAILABLE || reason == Reason.AT_CAPACITY) {
                return true;
            }
        }
        return false;
    }

    @Override
    public @Nullable String prometheus() {
        if (!config.admin().metrics() || meters == null) {
            return null;
        }
        PrometheusMeterRegistry prometheus = prometheus(meters.registry());
        return prometheus == null ? null : prometheus.scrape();
    }

    /** Returns {@code registry} if it is Prometheus's, or the first Prometheus registry a composite holds. */
    private static @Nullable PrometheusMeterRegistry prometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                PrometheusMeterRegistry found = prometheus(member);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /**
     * Wakes the waiters of a route's queue when one of its backends can take requests again: a freed place is
     * otherwise only noticed when a request of the route ends.
     */
    private static final class QueueWake implements HealthListener, PoolListener {

        private final RouteRuntime route;

        QueueWake(RouteRuntime route) {
            this.route = route;
        }

        @Override
        public void healthy(String name, Backend backend) {
            opened(name, backend);
        }

        @Override
        public void restored(String name, Backend backend) {
            opened(name, backend);
        }

        @Override
        public void breaker(String name, Backend backend, BreakerState state) {
            if (state != BreakerState.OPEN) {
                opened(name, backend);
            }
        }

        @Override
        public void poolChanged(Change change, Backend backend, BackendPool.Snapshot snapshot) {
            if (change != Change.REMOVED) {
                route.placesOpened(backend);
            }
        }

        private void opened(String name, Backend backend) {
            if (name.equals(route.name())) {
                route.placesOpened(backend);
            }
        }
    }

    /** Starts a slow-start ramp for each backend that takes traffic again. */
    private static final class SlowStartWatch implements HealthListener {

        private final JunctionRuntime runtime;

        SlowStartWatch(JunctionRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public void healthy(String route, Backend backend) {
            ramp(route, backend);
        }

        @Override
        public void restored(String route, Backend backend) {
            ramp(route, backend);
        }

        private void ramp(String route, Backend backend) {
            RouteRuntime found = runtime.route(route);
            if (found != null) {
                found.startRamp(backend);
            }
        }
    }

    /** Works out a route's panic again after each health change of one of its backends, and tells listeners. */
    private static final class PanicWatch implements HealthListener {

        private final List<HealthListener> listeners;
        private final JunctionRuntime runtime;

        PanicWatch(List<HealthListener> listeners, JunctionRuntime runtime) {
            this.listeners = listeners;
            this.runtime = runtime;
        }

        @Override
        public void healthy(String route, Backend backend) {
            update(route);
        }

        @Override
        public void unhealthy(String route, Backend backend, String reason) {
            update(route);
        }

        @Override
        public void ejected(String route, Backend backend, String reason, Duration duration) {
            update(route);
        }

        @Override
        public void restored(String route, Backend backend) {
            update(route);
        }

        @Override
        public void breaker(String route, Backend backend, BreakerState state) {
            update(route);
        }

        private void update(String name) {
            RouteRuntime route = runtime.route(name);
            if (route == null || !route.updatePanic()) {
                return;
            }
            boolean entered = route.balancer().panicking();
            if (entered) {
                LOG.warn("Route {}: too few healthy backends, panic: spreading traffic over all of them", name);
            } else {
                LOG.info("Route {}: enough healthy backends again, panic over", name);
            }
            for (HealthListener listener : listeners) {
                listener.panic(name, entered);
            }
        }
    }
}
