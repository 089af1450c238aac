package dev.junction.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import dev.junction.core.config.ConfigCheck;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.Validator;
import dev.junction.core.internal.Plugins;
import dev.junction.core.internal.ThreadScheduler;
import dev.junction.core.internal.Transports;
import dev.junction.core.internal.balance.Strategies;
import dev.junction.core.internal.engine.Engine;
import dev.junction.core.internal.engine.Extensions;
import dev.junction.core.internal.engine.JunctionRuntime;
import dev.junction.core.internal.engine.RouteRuntime;
import dev.junction.core.spi.ExchangeListener;
import dev.junction.core.spi.HealthCheck;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.KeyResolver;
import dev.junction.core.spi.LoadBalancerFactory;
import dev.junction.core.spi.PriorityResolver;
import dev.junction.core.spi.RequestHead;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.Transport;
import dev.junction.core.spi.TransportFactory;
import dev.junction.core.status.RouteStatus;
import dev.junction.core.transport.JettyTransport;

/**
 * Junction at run time: the routes of one configuration, the transport towards their backends, and the one entry
 * point every adapter uses. An adapter asks {@link #match} of each request: null means the request is not
 * Junction's (pass it on untouched); otherwise {@link Match#serve} answers it, as the admin endpoint or by forwarding
 * it on its route.
 *
 * <pre>{@code
 * Junction junction = Junction.create(config).start();
 * Match match = junction.match(exchange);  // the request, as the adapter's ServerExchange
 * if (match != null) {
 *     match.serve(exchange);               // returns at once; the exchange completes asynchronously
 * }
 * ...
 * junction.close();                        // lets exchanges in flight finish, then stops what it started
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} are idempotent. Whatever Junction makes (its transport, its
 * scheduler) it stops; what was handed to its {@link Builder} is left running.
 */
public final class Junction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Junction.class);

    /** How long {@link #close()} waits for exchanges in flight before stopping, unless the builder says otherwise. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final JunctionConfig config;
    private final JunctionRuntime runtime;
    private final Engine engine;
    private final Transport transport;
    private final boolean ownTransport;
    private final Scheduler scheduler;
    private final @Nullable ThreadScheduler ownScheduler;
    private final Duration grace;
    private final List<Route> routes;
    private final Match[] matches;
    private final Match admin;
    private boolean started;
    private boolean closed;

    private Junction(Builder builder, JunctionConfig config, Extensions extensions) {
        this.config = config;
        this.grace = builder.grace;
        Transport handed = builder.transport;
        this.ownTransport = handed == null;
        this.transport = handed != null ? handed : builder.transports().make(config);
        Scheduler given = builder.scheduler;
        this.ownScheduler = given == null ? new ThreadScheduler() : null;
        this.scheduler = given != null ? given : ownScheduler;
        this.runtime = new JunctionRuntime(config, extensions, transport, scheduler, builder.ticker, builder.clock,
                builder.healthListeners, builder.exchangeListeners, builder.meterRegistry, builder.observationRegistry);
        this.engine = runtime.engine();
        List<Route> handles = new ArrayList<>();
        this.matches = new Match[runtime.routes().size()];
        for (RouteRuntime route : runtime.routes()) {
            Route handle = new Route(route);
            handles.add(handle);
            matches[route.index()] = new Match(engine, route, handle);
        }
        this.routes = List.copyOf(handles);
        this.admin = new Match(engine, null, null);
    }

    /**
     * Returns a builder of a Junction: what to hand in, register and listen to; {@link Builder#build} takes the
     * configuration.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a Junction for a configuration, with everything as by default, not yet started.
     *
     * @throws ConfigException listing every problem, the configuration's own and every extension it names that cannot
     *     be found
     */
    public static Junction create(JunctionConfig config) {
        return builder().build(config);
    }

    /** Starts the transport (if Junction made it), the timers and the active checks. Idempotent. */
    public synchronized Junction start() {
        if (closed) {
            throw new IllegalStateException("Junction is closed");
        }
        if (!started) {
            runtime.start(ownTransport);
            started = true;
        }
        return this;
    }

    /**
     * Returns what Junction makes of a request: null if it is neither the admin endpoint's nor a route's (the adapter
     * passes the request on, untouched), else the match that serves it. Reads the path, and the host, method, headers,
     * query and client address only as far as routes ask for them; allocates nothing for routes that ask for none.
     */
    public @Nullable Match match(RequestHead head) {
        if (engine.isAdmin(head.rawPath())) {
            return admin;
        }
        RouteRuntime route = engine.route(head);
        return route == null ? null : matches[route.index()];
    }

    /** Returns the routes, in configuration order. */
    public List<Route> routes() {
        return routes;
    }

    /** Returns the route named {@code name}, or null. */
    public @Nullable Route route(String name) {
        RouteRuntime found = runtime.route(name);
        return found == null ? null : routes.get(found.index());
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
        runtime.addHealthListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Checks every backend of every route with active checks now, besides the periodic checks; the result completes
     * when all of those checks have ended and been counted.
     */
    public CompletableFuture<Void> checkHealth() {
        return runtime.checkHealth();
    }

    /** Returns a snapshot of every route and backend: availability and why, live numbers, health. */
    public List<RouteStatus> status() {
        return runtime.status();
    }

    /** Returns whether it has been started and not closed: whether it forwards (for a readiness check). */
    public synchronized boolean isRunning() {
        return started && !closed;
    }

    /**
     * Lets exchanges in flight finish, up to the grace period, then stops what Junction made (its transport, aborting
     * what is left, and its scheduler). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            runtime.close(grace, ownTransport);
            LOG.info("Junction stopped");
        }
        if (ownScheduler != null) {
            ownScheduler.stop();
        }
    }

    /**
     * Builds a {@link Junction}: the configuration, and what to hand in instead of Junction's own (time, a scheduler,
     * a transport), strategies and health checks registered by name for this Junction alone, and listeners.
     *
     * <pre>{@code
     * Junction.Builder builder = Junction.builder()
     *         .strategy("first-available", options -> new FirstAvailableLoadBalancer())
     *         .healthCheck("registry", new RegistryCheck(registryClient))
     *         .healthListener(new AlertingListener())
     *         .grace(Duration.ofSeconds(30));
     * JunctionConfig config = YamlConfigLoader.load(path, builder.configCheck());   // every problem at once
     * Junction junction = builder.build(config).start();
     * }</pre>
     *
     * <p>Not thread-safe. {@link #build} may be called more than once; each Junction gets its own copy of what was
     * set.
     */
    public static final class Builder {

        private Ticker ticker = Ticker.system();
        private Clock clock = Clock.systemUTC();
        private @Nullable Scheduler scheduler;
        private @Nullable Transport transport;
        private final Map<String, TransportFactory> transports = new LinkedHashMap<>();
        private String defaultTransport = Transports.JETTY;
        private Duration grace = DEFAULT_GRACE;
        private final Map<String, LoadBalancerFactory> strategies = new LinkedHashMap<>();
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private final Map<String, KeyResolver> keyResolvers = new LinkedHashMap<>();
        private final Map<String, PriorityResolver> priorityResolvers = new LinkedHashMap<>();
        private final List<HealthListener> healthListeners = new ArrayList<>();
        private final List<ExchangeListener> exchangeListeners = new ArrayList<>();
        private @Nullable ClassLoader classLoader;
        private @Nullable MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

        private Builder() {
        }

        /** Sets the monotonic time every duration is measured by; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Sets the wall clock of the times the status shows; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets where Junction's timed work runs (checks, ejection ends, breaker delays, retry backoff, deadlines);
         * default a daemon thread of its own, {@code junction-scheduler}. One handed in is not stopped by
         * {@link Junction#close()}.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets the wire towards backends, whatever the configuration's {@code client.transport} says; by default
         * Junction makes its own ({@link #transport(String, TransportFactory)}). One handed in is started and stopped
         * by whoever made it.
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Makes a transport available under {@code name}, for the configuration's {@code client.transport}, besides
         * {@code jetty} (a {@link JettyTransport}). A transport made so is Junction's: started and stopped with it.
         *
         * @throws IllegalArgumentException if the name is taken or not lower-case letters, digits and {@code -}
         */
        public Builder transport(String name, TransportFactory factory) {
            Transports.register(transports, name, factory);
            return this;
        }

        /**
         * Names the transport used when the configuration names none: an adapter's own (the Undertow adapter's is
         * {@code undertow}); default {@code jetty}.
         */
        public Builder defaultTransport(String name) {
            this.defaultTransport = Objects.requireNonNull(name, "name");
            return this;
        }

        private Transports transports() {
            return Transports.of(transports, defaultTransport);
        }

        /** Sets how long {@link Junction#close()} waits for exchanges in flight; default {@link #DEFAULT_GRACE}. */
        public Builder grace(Duration grace) {
            this.grace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * Makes a strategy available to this Junction's configuration under {@code name}, besides the built-ins and
         * those of {@link dev.junction.core.spi.LoadBalancerProvider}s.
         *
         * @throws IllegalArgumentException if the name is a built-in's, taken, or not lower-case letters, digits and
         *     {@code -}
         */
        public Builder strategy(String name, LoadBalancerFactory factory) {
            Strategies.checkName(name);
            Objects.requireNonNull(factory, "factory");
            if (strategies.putIfAbsent(name, factory) != null) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: a name not already registered)");
            }
            return this;
        }

        /**
         * Makes a health check of one's own available to this Junction's configuration under {@code name}
         * ({@code healthCheck: {check: name}}).
         *
         * @throws IllegalArgumentException if the name is taken or not lower-case letters, digits and {@code -}
         */
        public Builder healthCheck(String name, HealthCheck check) {
            register(checks, name, check, "check");
            return this;
        }

        /**
         * Makes a key resolver of one's own available to this Junction's rate limits under {@code name}
         * ({@code key: resolver:name}).
         *
         * @throws IllegalArgumentException if the name is taken or not lower-case letters, digits and {@code -}
         */
        public Builder keyResolver(String name, KeyResolver resolver) {
            register(keyResolvers, name, resolver, "resolver");
            return this;
        }

        /**
         * Makes a priority resolver of one's own available to this Junction's queues under {@code name}
         * ({@code queue.classResolver: name}).
         *
         * @throws IllegalArgumentException if the name is taken or not lower-case letters, digits and {@code -}
         */
        public Builder priorityResolver(String name, PriorityResolver resolver) {
            register(priorityResolvers, name, resolver, "resolver");
            return this;
        }

        /** Adds a plugin of one's own to {@code named} under a checked name that is not taken. */
        private static <T> void register(Map<String, T> named, String name, T plugin, String what) {
            Plugins.checkName(name);
            Objects.requireNonNull(plugin, what);
            if (named.putIfAbsent(name, plugin) != null) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: a name not already registered)");
            }
        }

        /** Adds a listener of backends' health changes, told from the first checks on. */
        public Builder healthListener(HealthListener listener) {
            healthListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Records Junction's metrics (docs/operations.md lists them) into {@code registry}: a Spring application's,
         * or any other. Without one, metrics are recorded only when the admin endpoint serves them
         * ({@code admin.metrics}), into a Prometheus registry of Junction's own. The admin endpoint serves a registry
         * handed in at {@code <admin>/metrics} when it is a Prometheus registry (or a composite holding one). Junction
         * removes its meters from the registry when it closes, and leaves the registry itself open.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Observes every exchange and every attempt in {@code registry} (Micrometer's Observation API): with Micrometer
         * Tracing's handlers there, a server span per exchange (or, when an observation is current on the thread that
         * hands the request over, that one as the parent) and a client span per attempt, whose trace context goes to
         * the backend in its request headers. Default {@link ObservationRegistry#NOOP}: nothing is observed.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Adds a listener of every attempt and exchange, for meters of one's own. */
        public Builder exchangeListener(ExchangeListener listener) {
            exchangeListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets the class loader that finds {@link dev.junction.core.spi.LoadBalancerProvider}s; default the one that
         * loaded Junction.
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * Returns the check of the strategies and health checks a configuration names, as this builder would find
         * them, for a loader to report with the configuration's own problems
         * ({@code YamlConfigLoader.load(path, builder.configCheck())}).
         */
        public ConfigCheck configCheck() {
            Strategies known = strategies();
            Map<String, HealthCheck> named = Map.copyOf(checks);
            Map<String, KeyResolver> resolvers = Map.copyOf(keyResolvers);
            Map<String, PriorityResolver> priorities = Map.copyOf(priorityResolvers);
            Transports wires = transports();
            return config -> {
                List<ConfigProblem> problems = new ArrayList<>();
                Extensions.resolve(config, known, named, resolvers, priorities, System::getenv, problems);
                wires.check(config, problems);
                return problems;
            };
        }

        private Strategies strategies() {
            ClassLoader loader = classLoader != null ? classLoader : Junction.class.getClassLoader();
            return Strategies.of(strategies, loader);
        }

        /**
         * Returns a Junction for {@code config}, not yet started.
         *
         * @throws ConfigException listing every problem, the configuration's own and every strategy or check it names
         *     that cannot be found, each with its path
         */
        public Junction build(JunctionConfig config) {
            Objects.requireNonNull(config, "config");
            List<ConfigProblem> problems = new ArrayList<>(Validator.validate(config));
            Extensions extensions = Extensions.resolve(config, strategies(), Map.copyOf(checks),
                    Map.copyOf(keyResolvers), Map.copyOf(priorityResolvers), System::getenv, problems);
            if (transport == null) {
                transports().check(config, problems);
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            // The Junction takes what it needs now (the runtime copies the listener lists): this builder may be
            // changed and used again without touching it.
            return new Junction(this, config, extensions);
        }
    }
}
