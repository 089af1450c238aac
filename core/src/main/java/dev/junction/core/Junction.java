package dev.junction.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProtocolHandlers;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.junction.core.admin.AdminEndpoint;
import dev.junction.core.affinity.SessionAffinity;
import dev.junction.core.config.ClientConfig;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.forward.BackendConnectionPool;
import dev.junction.core.forward.ProxyEngine;
import dev.junction.core.forward.ServerExchange;
import dev.junction.core.health.ActiveHealthChecker;
import dev.junction.core.health.HealthListener;
import dev.junction.core.health.HealthTracker;
import dev.junction.core.health.OutlierDetector;
import dev.junction.core.pool.Backend;
import dev.junction.core.resilience.BackendBreaker;
import dev.junction.core.resilience.BreakerState;
import dev.junction.core.resilience.RouteResilience;
import dev.junction.core.route.Route;
import dev.junction.core.route.Router;
import dev.junction.core.status.BackendStatus;
import dev.junction.core.status.RouteStatus;
import dev.junction.core.status.Statuses;

/**
 * Junction at run time: the routes of one configuration, the shared HTTP client towards their backends, and the
 * engine that forwards. Adapters hold one and ask it two things per request: {@link #match} (is this path ours?)
 * and {@link #forward}.
 *
 * <pre>{@code
 * Junction junction = Junction.create(config).start();
 * Route route = junction.match(rawPath);
 * if (route != null) {
 *     junction.forward(route, exchange);   // returns at once; the exchange completes asynchronously
 * }
 * ...
 * junction.close();                        // lets exchanges in flight finish, then stops the client
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} are idempotent. The client's threads are daemons named
 * {@code junction-client-*}, its timer {@code junction-scheduler}.
 */
public final class Junction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Junction.class);
    /** How many idle buffers of each size the client's buffer pool keeps at most (see {@link #newClient}). */
    private static final int BUFFERS_PER_SIZE = 1024;

    /** How long {@link #close()} waits for exchanges in flight before stopping the client. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final JunctionConfig config;
    private final Router router;
    private final HttpClient client;
    private final ProxyEngine engine;
    private final ActiveHealthChecker health;
    private final List<OutlierDetector> outliers;
    private final Map<Route, RouteResilience> resilience;
    private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
    private final Duration grace;
    private final @Nullable AdminEndpoint admin;
    private boolean started;
    private boolean closed;

    private Junction(JunctionConfig config, Ticker ticker, Duration grace) {
        this.config = config;
        List<Route> routes = new ArrayList<>(config.routes().size());
        for (RouteConfig route : config.routes()) {
            routes.add(Route.of(route, ticker));
        }
        this.router = new Router(routes);
        this.client = newClient(config);
        // First listener: a health change may move its route into or out of panic.
        listeners.add(new PanicWatch(listeners));
        Map<Route, OutlierDetector> outliers = new IdentityHashMap<>();
        for (Route route : routes) {
            outliers.put(route, new OutlierDetector(route, listeners));
        }
        this.outliers = List.copyOf(outliers.values());
        Map<Route, RouteResilience> resilience = new IdentityHashMap<>();
        for (Route route : routes) {
            resilience.put(route, new RouteResilience(route, client.getScheduler(), ticker, listeners,
                    Clock.systemUTC()));
        }
        this.resilience = resilience;
        this.engine = new ProxyEngine(client, config.limits(), shortestTimeoutMillis(config), outliers, resilience);
        this.health = new ActiveHealthChecker(routes, client, Clock.systemUTC(), listeners);
        this.grace = grace;
        this.admin = config.admin().enabled() ? new AdminEndpoint(this, config.admin()) : null;
    }

    /** Returns a Junction for a validated configuration, not yet started. */
    public static Junction create(JunctionConfig config) {
        return new Junction(Objects.requireNonNull(config, "config"), Ticker.system(), DEFAULT_GRACE);
    }

    /** Returns a Junction whose {@link #close()} waits up to {@code grace} for exchanges in flight. */
    public static Junction create(JunctionConfig config, Duration grace) {
        return new Junction(Objects.requireNonNull(config, "config"), Ticker.system(),
                Objects.requireNonNull(grace, "grace"));
    }

    /**
     * The one client towards every backend: keep-alive pools per backend, nothing a proxy must not do (no
     * redirects followed, no cookies kept, no content decoded, no authentication or {@code Expect} handling, no
     * {@code User-Agent} of its own).
     */
    private static HttpClient newClient(JunctionConfig config) {
        ClientConfig settings = config.client();
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("junction-client");
        threads.setDaemon(true);
        // Jetty's default selector count (half the processors, at least one): the engine's listeners run on these
        // threads (see below), so a large machine needs more than one; a second one on two cores measured slower.
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(new ClientConnector()));
        // The engine's listeners never block (they hand bytes to the adapter and return), so the client may run
        // them on its selector thread instead of handing each response to another thread.
        client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        client.setExecutor(threads);
        // Jetty's own pool keeps at most half its thread count (100) buffers of each size. A proxy holds more at once
        // (a network buffer per response being read, each until the client has taken its bytes), and a buffer the
        // full pool will not take back is left to the garbage collector with its native memory: under large bodies
        // hundreds of MiB of direct memory waited there for an old-generation collection. Buffers beyond what the
        // pool's memory heuristic allows (an eighth of the heap) are still let go.
        client.setByteBufferPool(new ArrayByteBufferPool(0, 2048, 65536, BUFFERS_PER_SIZE, 0, 0));
        client.setScheduler(new ScheduledExecutorScheduler("junction-scheduler", true));
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.setMaxConnectionsPerDestination(settings.maxConnectionsPerBackend());
        client.getHttpClientTransport().setConnectionPoolFactory(
                BackendConnectionPool.factory(settings.maxConnectionsPerBackend()));
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, settings.maxConnectionsPerBackend() * 4));
        client.setIdleTimeout(settings.idleTimeout().toMillis());
        long connect = 0;
        for (RouteConfig route : config.routes()) {
            connect = Math.max(connect, route.timeouts().connect().toMillis());
        }
        // Each route's own connect timeout is enforced per request; the client's is only the outer bound.
        client.setConnectTimeout(connect + 1000);
        return client;
    }

    private static long shortestTimeoutMillis(JunctionConfig config) {
        long shortest = Long.MAX_VALUE;
        for (RouteConfig route : config.routes()) {
            shortest = Math.min(shortest, Math.min(route.timeouts().connect().toMillis(),
                    route.timeouts().response().toMillis()));
        }
        return shortest;
    }

    /** Starts the HTTP client. Idempotent. */
    public synchronized Junction start() {
        if (closed) {
            throw new IllegalStateException("Junction is closed");
        }
        if (!started) {
            try {
                client.start();
                withoutClientDefaults(client);
                engine.start();
                OutlierDetector.Timer timer = OutlierDetector.Timer.of(client.getScheduler());
                outliers.forEach(detector -> detector.start(timer));
                resilience.values().forEach(route -> route.start(timer));
                health.start(client.getScheduler());
                // From now on a backend that comes back ramps up; the first verdicts above found every backend new.
                listeners.add(1, new SlowStartWatch());
            } catch (Exception e) {
                throw new IllegalStateException("Junction could not start its HTTP client", e);
            }
            started = true;
            LOG.info("Junction started: {} route(s)", router.routes().size());
            if (admin != null) {
                LOG.info("Admin endpoint at {} ({})", admin.path(), config.admin().token() != null ? "token required"
                        : "no token: anyone who reaches it may read the status and run checks");
            }
        }
        return this;
    }

    /**
     * Removes what Jetty's client installs when it starts and a proxy must not do: response decoders (they would send
     * {@code Accept-Encoding: gzip} the client never asked for, and decode what the client should get as sent) and
     * the handlers that act on redirects, authentication challenges and upgrades meant for the client. The handlers
     * that skip interim responses ({@code 100}, {@code 102}, {@code 103}) stay.
     */
    private static void withoutClientDefaults(HttpClient client) {
        client.getContentDecoderFactories().clear();
        ProtocolHandlers handlers = client.getProtocolHandlers();
        handlers.remove(RedirectProtocolHandler.NAME);
        handlers.remove(WWWAuthenticationProtocolHandler.NAME);
        handlers.remove(ProxyAuthenticationProtocolHandler.NAME);
        handlers.remove(new UpgradeProtocolHandler().getName());
    }

    /**
     * Returns the route that takes a request path, or null if none does (the adapter passes the request on).
     *
     * @param rawPath the path as received: percent-encoded, without the query
     */
    public @Nullable Route match(String rawPath) {
        return router.match(rawPath);
    }

    /** Forwards an exchange {@link #match} gave a route for. Returns at once. */
    public void forward(Route route, ServerExchange exchange) {
        engine.forward(route, exchange);
    }

    /** Returns the routes, in configuration order. */
    public List<Route> routes() {
        return router.routes();
    }

    /** Returns the configuration this Junction runs. */
    public JunctionConfig config() {
        return config;
    }

    /** Returns the number of exchanges being forwarded now. */
    public int inFlight() {
        return engine.inFlight();
    }

    /** Adds a listener of backends' health changes: active checks' verdicts, ejections and their ends. */
    public void addHealthListener(HealthListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Checks every backend of every route with active checks now, besides the periodic checks; the result completes
     * when all of those checks have ended and been counted.
     */
    public CompletableFuture<Void> checkHealth() {
        return health.checkNow();
    }

    /** Returns the health of {@code backend} as its active checks tell it, or null if its route has none. */
    public @Nullable HealthTracker health(Backend backend) {
        return health.tracker(backend);
    }

    /**
     * Returns the circuit breaker of a backend of a route, to read or to hold open or closed; null if the route has
     * no breakers or the Junction has not started.
     */
    public @Nullable BackendBreaker breaker(Route route, Backend backend) {
        RouteResilience routeResilience = resilience.get(route);
        return routeResilience == null ? null : routeResilience.breaker(backend);
    }

    /** Returns a route's session manager (pins, clearing, statistics), or null if the route has no affinity. */
    public @Nullable SessionAffinity sessions(Route route) {
        return route.affinity();
    }

    /** Returns a snapshot of every route and backend: availability and why, live numbers, health. */
    public List<RouteStatus> status() {
        List<RouteStatus> routes = new ArrayList<>();
        for (Route route : router.routes()) {
            OutlierDetector detector = engine.outliers(route);
            List<BackendStatus> backends = new ArrayList<>();
            RouteResilience routeResilience = resilience.get(route);
            for (Backend backend : route.pool().all()) {
                backends.add(Statuses.of(backend, health.tracker(backend), detector.ejectedUntil(backend),
                        routeResilience.existingBreaker(backend)));
            }
            routes.add(new RouteStatus(route.name(), route.prefix(), route.config().strategy().name(),
                    route.balancer().panicking(), backends));
        }
        return routes;
    }

    /** Returns the admin endpoint adapters mount, or null if the configuration does not enable it. */
    public @Nullable AdminEndpoint admin() {
        return admin;
    }

    /** Returns whether it has been started and not closed: whether it forwards (for a readiness check). */
    public synchronized boolean isRunning() {
        return started && !closed;
    }

    /**
     * Lets exchanges in flight finish, up to the grace period, then stops the HTTP client (aborting what is left).
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!started) {
            return;
        }
        health.stop();
        outliers.forEach(OutlierDetector::stop);
        try {
            if (!engine.awaitDrained(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Junction stopping with {} exchange(s) still in flight after {}", engine.inFlight(), grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.stop();
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("Junction's HTTP client did not stop cleanly", e);
        }
        LOG.info("Junction stopped");
    }

    /** Starts a slow-start ramp for each backend that takes traffic again. */
    private static final class SlowStartWatch implements HealthListener {

        @Override
        public void healthy(Route route, Backend backend) {
            route.balancer().startRamp(backend);
        }

        @Override
        public void restored(Route route, Backend backend) {
            route.balancer().startRamp(backend);
        }
    }

    /** Works out a route's panic again after each health change of one of its backends, and tells listeners. */
    private static final class PanicWatch implements HealthListener {

        private final List<HealthListener> listeners;

        PanicWatch(List<HealthListener> listeners) {
            this.listeners = listeners;
        }

        @Override
        public void healthy(Route route, Backend backend) {
            update(route);
        }

        @Override
        public void unhealthy(Route route, Backend backend, String reason) {
            update(route);
        }

        @Override
        public void ejected(Route route, Backend backend, String reason, Duration duration) {
            update(route);
        }

        @Override
        public void restored(Route route, Backend backend) {
            update(route);
        }

        @Override
        public void breaker(Route route, Backend backend, BreakerState state) {
            update(route);
        }

        private void update(Route route) {
            if (!route.balancer().updatePanic()) {
                return;
            }
            boolean entered = route.balancer().panicking();
            if (entered) {
                LOG.warn("Route {}: too few healthy backends, panic: spreading traffic over all of them",
                        route.name());
            } else {
                LOG.info("Route {}: enough healthy backends again, panic over", route.name());
            }
            for (HealthListener listener : listeners) {
                listener.panic(route, entered);
            }
        }
    }
}
