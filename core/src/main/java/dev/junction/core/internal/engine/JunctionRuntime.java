package dev.junction.core.internal.engine;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.junction.core.config.BackendConfig;
import dev.junction.core.config.ConfigChanges;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RateLimitConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.YamlConfigLoader;
import dev.junction.core.internal.ProtocolTransports;
import dev.junction.core.internal.Transports;
import dev.junction.core.internal.accesslog.AccessLog;
import dev.junction.core.internal.admin.AdminEndpoint;
import dev.junction.core.internal.cluster.Supervisor;
import dev.junction.core.internal.discovery.DnsDiscovery;
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
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.ExchangeListener;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.ScalingListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.Transport;
import dev.junction.core.transport.JettyTransport;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.BreakerState;
import dev.junction.core.offload.Offload;
import dev.junction.core.status.ClusterStatus;
import dev.junction.core.status.OffloadStatus;
import dev.junction.core.status.WorkerStatus;
import dev.junction.core.status.ConcurrencyStatus;
import dev.junction.core.status.DiscoveryStatus;
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

    private volatile JunctionConfig config;
    private final List<ScalingListener> scalingListeners;
    private volatile List<RouteRuntime> routes;
    private volatile Extensions extensions;
    private final Engine engine;
    private final Admission admission;
    private final Ticker ticker;
    private final Clock clock;
    /** What follows each route's pool besides the route itself, by route name: its queue's wake-up, its meters. */
    private final Map<String, Wiring> wiring = new ConcurrentHashMap<>();
    private volatile AdminEndpoint.@Nullable Reloads reloads;
    /** The lookups of backends that stand for what DNS gives; made when the first route has one. */
    private volatile @Nullable DnsDiscovery discovery;
    /** The offload pools shown in the status. */
    private final List<Offload> offloads;
    /** The worker processes the cluster's routes balance over, or null without a cluster. */
    private final @Nullable Supervisor cluster;
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
    /** Set once the routes' own timers run: a route added later starts its own at once. */
    private boolean routesStarted;
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
            List<ScalingListener> scalingListeners, List<Offload> offloads, @Nullable MeterRegistry registry,
            ObservationRegistry observations) {
        this.offloads = List.copyOf(offloads);
        this.config = config;
        this.extensions = extensions;
        this.scalingListeners = List.copyOf(scalingListeners);
        this.ticker = ticker;
        this.clock = clock;
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
        List<RouteRuntime> built = new ArrayList<>(config.routes().size());
        List<Admission.Slot> slots = new ArrayList<>();
        this.admission = new Admission(config.limits(), slots);
        for (int i = 0; i < config.routes().size(); i++) {
            RouteRuntime route = newRoute(i, config.routes().get(i), null, extensions);
            built.add(route);
            slots.add(route.slot());
        }
        admission.routes(slots);
        this.routes = List.copyOf(built);
        for (RouteRuntime route : routes) {
            wire(route);
        }
        warnInsecure(config.routes());
        this.health = new ActiveHealthChecker((route, check) -> {
            HealthCheck custom = this.extensions.custom(check);
            return custom != null ? custom : new HttpHealthCheck(this.transport, check, backend -> {
                RouteRuntime current = route(route.name());
                return current == null ? null : current.tls(backend);
            });
        }, ticker, clock, this.listeners);
        for (RouteRuntime route : routes) {
            health.add(route.config(), route.pool());
        }
        this.cluster = config.cluster().enabled() ? new Supervisor(config.cluster(), new ClusterMembers(), clock)
                : null;
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

    /** Registers the gauges and counters that read Junction's state; each route's are bound by {@link #wire}. */
    private void bindMeters(JunctionMeters bound) {
        bound.inFlight(engine, Engine::inFlight);
        if (cluster != null) {
            bound.cluster(cluster, supervisor -> supervisor.status().up(),
                    supervisor -> supervisor.status().workers().stream().mapToInt(WorkerStatus::restarts).sum());
        }
        if (accessLog != null) {
            bound.accessLogDropped(accessLog, AccessLog::dropped);
        }
    }

    /** Builds the run-time form of a route of the configuration, from its predecessor if it had one. */
    private RouteRuntime newRoute(int index, RouteConfig route, @Nullable RouteRuntime predecessor,
            Extensions resolved) {
        RouteLimits limits = predecessor != null && RouteRuntime.same(predecessor.config(), route,
                RouteConfig::rateLimits) ? predecessor.limits()
                : RouteLimits.of(route, config.sharedLimits(), sharedStore, resolved.keyResolvers());
        return new RouteRuntime(route, predecessor, resolved.strategy(index), ticker, clock, scheduler, listeners,
                meters == null ? RouteMeters.NONE : meters.route(route.name()), resolved.tls(index), limits,
                resolved.priorityResolver(route.queue().classResolver()), admission, config.client().zone(),
                scalingListeners);
    }

    private static void warnInsecure(List<RouteConfig> routes) {
        for (RouteConfig route : routes) {
            if (route.tls().insecureSkipVerify()) {
                LOG.warn("Route {}: tls.insecureSkipVerify is on: the certificates of its https backends are NOT"
                        + " verified, and anyone on the path can pose as them. For development only.", route.name());
            }
        }
    }

    /**
     * Follows a route's pool with what is not the route's own: its queue's wake-ups, and its meters (the gauges of
     * its parts, and each backend's, kept up to date as backends come and go). A route built again is wired again;
     * its backends' gauges read whichever runtime of the route is current.
     */
    private void wire(RouteRuntime route) {
        Wiring old = wiring.remove(route.name());
        if (old != null) {
            old.detach(route.pool(), listeners);
        }
        Wiring made = new Wiring();
        String name = route.name();
        made.drain = (change, backend, snapshot) -> {
            if (change == PoolListener.Change.REMOVED) {
                releaseWhenDrained(backend, 0, name);
            }
        };
        route.pool().addListener(made.drain);
        RouteQueue queue = route.queue();
        if (queue != null) {
            made.wake = new QueueWake(route);
            listeners.add(made.wake);
            route.pool().addListener(made.wake);
        }
        JunctionMeters bound = meters;
        if (bound != null) {
            bound.removeRouteParts(route.name());
            bindRoute(bound, route);
            if (old != null && old.meters != null) {
                made.meters = old.meters;
            } else {
                for (Backend backend : route.pool().all()) {
                    bindBackend(bound, name, backend);
                }
                made.meters = (change, backend, snapshot) -> {
                    if (change == PoolListener.Change.REMOVED) {
                        bound.removeBackend(name, backend.id());
                    } else {
                        bindBackend(bound, name, backend);
                    }
                };
            }
            route.pool().addListener(made.meters);
        }
        wiring.put(route.name(), made);
    }

    /** What follows a route's pool on the route's behalf, detached when the route is gone or wired again. */
    private static final class Wiring {

        @Nullable QueueWake wake;
        @Nullable PoolListener meters;
        @Nullable PoolListener drain;

        void detach(BackendPool pool, List<HealthListener> listeners) {
            if (drain != null) {
                pool.removeListener(drain);
            }
            if (wake != null) {
                listeners.remove(wake);
                pool.removeListener(wake);
            }
            if (meters != null) {
                pool.removeListener(meters);
            }
        }
    }

    /** Registers the gauges and counters that read the parts of a route: its balancer, queue, limits, release. */
    private static void bindRoute(JunctionMeters bound, RouteRuntime route) {
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
        ScalingWatch scaling = route.scaling();
        if (scaling != null) {
            bound.scaling(route.name(), scaling, watch -> switch (watch.status().state()) {
                case UP -> 1;
                case STEADY -> 0;
                case DOWN -> -1;
            }, watch -> watch.status().utilisationPercent());
        }
    }

    private void bindBackend(JunctionMeters bound, String route, Backend backend) {
        URI origin = backend.origin();
        Supplier<Transport.Connections> connections = () -> {
            Transport.Connections counted = transport.connections(origin);
            return counted != null ? counted : NO_CONNECTIONS;
        };
        bound.backend(route, backend, member -> member.state().inFlight(), () -> Statuses.reason(backend),
                () -> {
                    RouteRuntime current = route(route);
                    BackendBreaker breaker = current == null ? null : current.resilience().existingBreaker(backend);
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
            stopWorkers();
            throw new IllegalStateException("Junction was interrupted while starting", e);
        } catch (Exception e) {
            // The workers started so far stop with the failed start: nothing else would stop them.
            stopWorkers();
            throw new IllegalStateException("Junction could not start: " + e.getMessage(), e);
        }
    }

    private void stopWorkers() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private void startChecks() throws InterruptedException {
        SharedStore store = sharedStore;
        if (store != null) {
            // A moment for the first connection, so the first requests find their limits shared.
            store.start(Math.max(1000, config.sharedLimits().timeout().toMillis()));
        }
        engine.start(scheduler);
        DnsDiscovery lookups;
        synchronized (this) {
            for (RouteRuntime route : routes) {
                route.start(scheduler);
                follow(route);
            }
            routesStarted = true;
            lookups = discovery;
        }
        if (lookups != null) {
            // The first answers fill the pools before the first checks, as the first checks come before traffic.
            awaitFirstLookups(lookups);
        }
        if (cluster != null) {
            // The workers join their routes as each answers its health check; the first requests find them there.
            cluster.start();
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
        // Under the monitor: a reconfiguration under way finishes first, and none starts anything after.
        synchronized (this) {
            closing = true;
        }
        DnsDiscovery lookups = discovery;
        if (lookups != null) {
            lookups.stop();
        }
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
        if (cluster != null) {
            // After the drain: the workers served the requests that just ended.
            cluster.stop();
        }
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

    /**
     * Applies a validated configuration whose extensions are resolved, in place of the running one: routes are
     * matched by name; a route whose backends alone changed keeps everything and has its pool changed in place; a
     * route whose settings changed is built again from the old one, keeping its backends' state and every part the
     * change did not touch; new routes start; removed routes and backends take no new request and finish what they
     * have. Requests that arrive meanwhile are routed by the old configuration or the new one, never a mix.
     *
     * @param attach told of each route built, before any request can be routed to it
     * @throws ConfigException if the new configuration changes what only a start applies ({@code client},
     *     {@code limits}, {@code admin}, {@code accessLog}, {@code sharedLimits}); nothing is changed then
     */
    public synchronized ConfigChanges reconfigure(JunctionConfig next, Extensions resolved,
            Consumer<RouteRuntime> attach) {
        if (closing) {
            throw new IllegalStateException("Junction is stopping");
        }
        List<ConfigProblem> problems = startOnly(config, next);
        boolean shares = next.routes().stream().anyMatch(route -> route.rateLimits().stream()
                .anyMatch(RateLimitConfig::shared));
        if (shares && sharedStore == null) {
            problems.add(new ConfigProblem("routes", "a rate limit is shared, and none was at start: the store they"
                    + " share through starts only when Junction does (restart to share limits)"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        // What can fail is done before anything changes: a reload that throws leaves the configuration as it was.
        transport.prepare(next);
        if (discovery == null && next.routes().stream().anyMatch(DnsDiscovery::discovers)) {
            discovery = new DnsDiscovery(next.client().dns(), scheduler, clock);
        }
        Changes changes = new Changes();
        Map<String, RouteRuntime> old = new LinkedHashMap<>();
        routes.forEach(route -> old.put(route.name(), route));
        List<RouteRuntime> built = new ArrayList<>(next.routes().size());
        Map<RouteRuntime, RouteRuntime> replaced = new LinkedHashMap<>();
        List<RouteRuntime> fresh = new ArrayList<>();
        List<RouteRuntime> kept = new ArrayList<>();
        List<Backend> removed = new ArrayList<>();
        for (int i = 0; i < next.routes().size(); i++) {
            RouteConfig route = next.routes().get(i);
            RouteRuntime before = old.remove(route.name());
            if (before == null) {
                RouteRuntime made = newRoute(i, route, null, resolved);
                if (cluster != null && next.cluster().serves(route)) {
                    cluster.members().forEach(made.pool()::add);
                }
                built.add(made);
                fresh.add(made);
                changes.routesAdded.add(route.name());
                continue;
            }
            DnsDiscovery lookups = discovery;
            Set<String> managed = new HashSet<>(lookups == null ? Set.of() : lookups.managed(route));
            List<BackendConfig> workers = cluster != null && next.cluster().serves(route) ? cluster.members()
                    : List.of();
            workers.forEach(worker -> managed.add(worker.id()));
            changePool(before, route, changes, managed);
            for (BackendConfig worker : workers) {
                // A route the workers serve from now on (its own backends left out) gets them.
                if (before.pool().get(worker.id()) == null) {
                    before.pool().add(worker);
                }
            }
            if (before.differsOnlyInBackends(route)) {
                before.backendsChanged(route);
                health.update(route, before.pool());
                built.add(before);
                kept.add(before);
            } else {
                RouteRuntime made = newRoute(i, route, before, resolved);
                built.add(made);
                replaced.put(before, made);
                changes.routesChanged.add(route.name());
            }
        }
        for (RouteRuntime gone : old.values()) {
            changes.routesRemoved.add(gone.name());
            removed.addAll(gone.pool().all());
        }
        fresh.forEach(attach);
        replaced.values().forEach(attach);
        this.extensions = resolved;
        this.config = next;
        this.routes = List.copyOf(built);
        warnInsecure(next.routes());
        // Checked and wired before any request can reach them: a backend that waits for its first check does.
        for (RouteRuntime made : fresh) {
            health.add(made.config(), made.pool());
            wire(made);
        }
        replaced.forEach((before, made) -> {
            health.update(made.config(), made.pool());
            wire(made);
        });
        DnsDiscovery lookups = discovery;
        if (routesStarted && lookups != null) {
            // A new or changed name is looked up before requests are routed by the new configuration, as at start.
            built.forEach(route -> lookups.follow(route.config(), route.pool()));
            awaitFirstLookups(lookups);
        }
        List<Admission.Slot> slots = new ArrayList<>();
        built.forEach(route -> slots.add(route.slot()));
        admission.routes(slots);
        engine.routes(routes);
        fresh.forEach(this::startRoute);
        replaced.forEach((before, made) -> {
            startRoute(made);
            before.retire(made);
        });
        if (routesStarted) {
            kept.forEach(this::follow);
        }
        for (RouteRuntime gone : old.values()) {
            if (lookups != null) {
                lookups.forget(gone.name());
            }
            health.remove(gone.pool());
            Wiring wired = wiring.remove(gone.name());
            if (wired != null) {
                wired.detach(gone.pool(), listeners);
            }
            if (meters != null) {
                meters.removeRoute(gone.name());
            }
            gone.retire(null);
        }
        for (Backend backend : removed) {
            releaseWhenDrained(backend, 0, null);
        }
        return changes.toChanges();
    }

    /** Waits for the first answer of every name followed, up to the lookups' timeout. */
    private static void awaitFirstLookups(DnsDiscovery lookups) {
        long timeout = lookups.firstLookupTimeout().toMillis();
        try {
            lookups.firstLookups().get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("First DNS lookups not all answered in {} ms; their routes fill as the answers come", timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts what a new route runs on its own, once Junction itself has started. */
    private void startRoute(RouteRuntime route) {
        if (routesStarted) {
            route.start(scheduler);
            follow(route);
        }
    }

    /** Starts (or goes on with) the DNS lookups of the route's looked-up backends, if it has any or had. */
    private void follow(RouteRuntime route) {
        DnsDiscovery lookups = discovery;
        if (lookups == null && DnsDiscovery.discovers(route.config())) {
            lookups = new DnsDiscovery(config.client().dns(), scheduler, clock);
            discovery = lookups;
        }
        if (lookups != null) {
            lookups.follow(route.config(), route.pool());
        }
    }

    /** Returns the offload pools shown in the status. */
    @Override
    public List<OffloadStatus> offloadStatus() {
        return offloads.stream().map(Offload::status).toList();
    }

    /** Returns the cluster's workers, or null without a cluster. */
    @Override
    public @Nullable ClusterStatus clusterStatus() {
        return cluster == null ? null : cluster.status();
    }

    /**
     * Starts a rolling restart of the cluster's workers, or returns the one under way.
     *
     * @throws IllegalStateException without a cluster
     */
    @Override
    public CompletableFuture<ClusterStatus.RollingRestart> restartWorkers(String trigger) {
        if (cluster == null) {
            throw new IllegalStateException("no cluster is configured: Junction runs no workers");
        }
        return cluster.rollingRestart(trigger);
    }

    /** Changes the pools of the routes the cluster serves as its workers come and go. */
    private final class ClusterMembers implements Supervisor.Members {

        private List<BackendPool> pools() {
            List<BackendPool> pools = new ArrayList<>();
            for (RouteRuntime route : routes) {
                if (config.cluster().serves(route.config())) {
                    pools.add(route.pool());
                }
            }
            return pools;
        }

        @Override
        public void add(BackendConfig backend) {
            // Under the runtime's monitor: a reconfiguration adding a route the cluster serves sees the worker or
            // adds it itself.
            synchronized (JunctionRuntime.this) {
                for (BackendPool pool : pools()) {
                    if (pool.get(backend.id()) == null) {
                        pool.add(backend);
                    }
                }
            }
        }

        @Override
        public void drain(String backend) {
            pools().forEach(pool -> pool.availability(backend, Availability.DRAINING));
        }

        @Override
        public int inFlight(String backend) {
            int inFlight = 0;
            for (BackendPool pool : pools()) {
                Backend member = pool.get(backend);
                inFlight += member == null ? 0 : member.state().inFlight();
            }
            return inFlight;
        }

        @Override
        public boolean available(String backend) {
            for (BackendPool pool : pools()) {
                if (pool.available().stream().noneMatch(member -> member.id().equals(backend))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void remove(String backend) {
            synchronized (JunctionRuntime.this) {
                pools().forEach(pool -> pool.remove(backend));
            }
        }
    }

    /** Returns how the looked-up backends' lookups go, route by route; empty without any. */
    public List<DiscoveryStatus> discoveryStatus() {
        DnsDiscovery lookups = discovery;
        return lookups == null ? List.of() : lookups.status();
    }

    /**
     * Makes the route's pool hold the backends of {@code next}, adding, redefining (keeping state) and removing; the
     * removed ones finish what they have, and then their connections are closed. Backends DNS gave for a template
     * {@code next} still has ({@code looked}) stay: their lookups decide them.
     */
    private static void changePool(RouteRuntime route, RouteConfig next, Changes changes, Set<String> looked) {
        BackendPool pool = route.pool();
        Set<String> kept = new HashSet<>(looked);
        for (BackendConfig backend : DnsDiscovery.fixed(next.backends())) {
            kept.add(backend.id());
            Backend current = pool.get(backend.id());
            if (current == null) {
                pool.add(backend);
                changes.backendsAdded.add(route.name() + "/" + backend.id());
            } else if (!current.config().equals(backend)) {
                pool.update(backend);
                changes.backendsUpdated.add(route.name() + "/" + backend.id());
            }
        }
        for (Backend backend : pool.all()) {
            if (!kept.contains(backend.id()) && pool.remove(backend.id()) != null) {
                changes.backendsRemoved.add(route.name() + "/" + backend.id());
            }
        }
    }

    /** How often a removed backend is looked at until its requests have ended, and for how long at most. */
    private static final long DRAIN_POLL_MILLIS = 200;
    private static final long DRAIN_POLLS = 3000;
    /** The removed backends whose requests have not all ended. */
    private final Set<Backend> draining = ConcurrentHashMap.newKeySet();

    /**
     * Closes the transport's connections to a removed backend's origin once its requests in flight have ended (or
     * after ten minutes), unless a backend of the configuration still uses that origin, and forgets the backend's
     * meters unless its route ({@code route}; null for a route that is gone, whose meters went with it) has it again.
     */
    private void releaseWhenDrained(Backend backend, long polls, @Nullable String route) {
        draining.add(backend);
        if (backend.state().inFlight() > 0 && polls < DRAIN_POLLS && !closing) {
            scheduler.schedule(() -> releaseWhenDrained(backend, polls + 1, route), DRAIN_POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        draining.remove(backend);
        JunctionMeters bound = meters;
        RouteRuntime owner = route == null ? null : route(route);
        if (bound != null && route != null && (owner == null || owner.pool().get(backend.id()) == null)) {
            bound.forgetBackend(route, backend.id());
        }
        URI origin = backend.origin();
        for (RouteRuntime current : routes) {
            for (Backend member : current.pool().all()) {
                if (member.origin().equals(origin)) {
                    return;
                }
            }
        }
        for (Backend other : draining) {
            if (other.origin().equals(origin) && other.state().inFlight() > 0) {
                // Another removed backend at the same address still finishes its requests; its own release closes.
                return;
            }
        }
        if (!closing) {
            transport.release(origin);
            LOG.info("Backend {} drained: its connections to {} are closed", backend.id(), origin);
        }
    }

    /**
     * Returns a problem for each section of {@code next} that differs from {@code current} and that only a start
     * applies.
     */
    private static List<ConfigProblem> startOnly(JunctionConfig current, JunctionConfig next) {
        List<ConfigProblem> problems = new ArrayList<>();
        startOnly(problems, "client", current.client(), next.client());
        startOnly(problems, "limits", current.limits(), next.limits());
        startOnly(problems, "admin", current.admin(), next.admin());
        startOnly(problems, "accessLog", current.accessLog(), next.accessLog());
        startOnly(problems, "sharedLimits", current.sharedLimits(), next.sharedLimits());
        startOnly(problems, "cluster", current.cluster(), next.cluster());
        return problems;
    }

    private static void startOnly(List<ConfigProblem> problems, String path, Object current, Object next) {
        if (!current.equals(next)) {
            problems.add(new ConfigProblem(path, "changed, and it takes effect only when Junction starts; a reload"
                    + " applies changes to routes (restart to change " + path + ")"));
        }
    }

    /** The changes of one reconfiguration as they are found. */
    private static final class Changes {

        final List<String> routesAdded = new ArrayList<>();
        final List<String> routesRemoved = new ArrayList<>();
        final List<String> routesChanged = new ArrayList<>();
        final List<String> backendsAdded = new ArrayList<>();
        final List<String> backendsRemoved = new ArrayList<>();
        final List<String> backendsUpdated = new ArrayList<>();

        ConfigChanges toChanges() {
            return new ConfigChanges(routesAdded, routesRemoved, routesChanged, backendsAdded, backendsRemoved,
                    backendsUpdated);
        }
    }

    /** Returns the configuration running now. */
    public JunctionConfig config() {
        return config;
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
                    route.release() == null ? null : route.release().status(), backends,
                    route.scaling() == null ? null : route.scaling().status()));
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

    /** Sets what tells the configuration's status and reloads it, for the admin endpoint. */
    public void reloads(AdminEndpoint.Reloads reloads) {
        this.reloads = reloads;
    }

    @Override
    public AdminEndpoint.@Nullable Reloads reloads() {
        return reloads;
    }

    @Override
    public AdminEndpoint.@Nullable PoolControl pool(String name) {
        RouteRuntime route = route(name);
        if (route == null) {
            return null;
        }
        return new AdminEndpoint.PoolControl() {
            @Override
            public BackendPool pool() {
                return route.pool();
            }

            @Override
            public BackendConfig read(String text) {
                return YamlConfigLoader.loadBackend(text, "the request body", route.config().healthCheck());
            }

            @Override
            public List<String> runtimeChanges() {
                return JunctionRuntime.this.runtimeChanges(route);
            }
        };
    }

    /**
     * Returns how the routes' pools differ from the configuration running, each as {@code <route>/<backend>: <what>}:
     * what was changed at run time (the pool API, {@code BackendPool} calls) and a reload would put back.
     */
    public List<String> runtimeChanges() {
        List<String> all = new ArrayList<>();
        for (RouteRuntime route : routes) {
            for (String change : runtimeChanges(route)) {
                all.add(route.name() + "/" + change);
            }
        }
        return all;
    }

    private List<String> runtimeChanges(RouteRuntime route) {
        List<String> changes = new ArrayList<>();
        List<BackendConfig> configured = DnsDiscovery.fixed(route.config().backends());
        DnsDiscovery lookups = discovery;
        Set<String> ids = new HashSet<>(lookups == null ? Set.of() : lookups.managed(route.name()));
        if (cluster != null && config.cluster().serves(route.config())) {
            cluster.members().forEach(worker -> ids.add(worker.id()));
        }
        for (BackendConfig backend : configured) {
            ids.add(backend.id());
            Backend member = route.pool().get(backend.id());
            if (member == null) {
                changes.add(backend.id() + ": removed at run time");
            } else if (!member.config().equals(backend)) {
                changes.add(backend.id() + ": " + differences(backend, member.config()) + " at run time");
            }
        }
        for (Backend member : route.pool().all()) {
            if (!ids.contains(member.id())) {
                changes.add(member.id() + ": added at run time");
            }
        }
        return changes;
    }

    /** Describes how a backend's definition was changed: {@code weight 1 -> 3}, {@code disabled}, or else redefined. */
    private static String differences(BackendConfig configured, BackendConfig now) {
        List<String> parts = new ArrayList<>();
        if (configured.weight() != now.weight()) {
            parts.add("weight " + configured.weight() + " -> " + now.weight());
        }
        if (configured.disabled() != now.disabled()) {
            parts.add(now.disabled() ? "disabled" : "enabled");
        }
        if (parts.isEmpty()) {
            parts.add("redefined");
        }
        return String.join(", ", parts);
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
