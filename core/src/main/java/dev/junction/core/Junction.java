package dev.junction.core;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import dev.junction.core.config.ConfigChanges;
import dev.junction.core.config.ConfigCheck;
import dev.junction.core.config.ConfigException;
import dev.junction.core.config.ConfigProblem;
import dev.junction.core.config.ConfigSource;
import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.Validator;
import dev.junction.core.internal.ConfigWatch;
import dev.junction.core.internal.Plugins;
import dev.junction.core.internal.ThreadScheduler;
import dev.junction.core.internal.Transports;
import dev.junction.core.internal.admin.AdminEndpoint;
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
import dev.junction.core.spi.ScalingListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;
import dev.junction.core.spi.Transport;
import dev.junction.core.spi.TransportFactory;
import dev.junction.core.offload.Offload;
import dev.junction.core.status.ClusterStatus;
import dev.junction.core.status.ConfigStatus;
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

    private final JunctionRuntime runtime;
    private final Engine engine;
    private final Transport transport;
    private final boolean ownTransport;
    private final Scheduler scheduler;
    private final @Nullable ThreadScheduler ownScheduler;
    private final Duration grace;
    private final Clock clock;
    /** The routes' handles by name: a route keeps its handle while it is in the configuration. */
    private final Map<String, Route> handles = new ConcurrentHashMap<>();
    private volatile List<Route> routes;
    private final Match admin;
    private final Resolver resolver;
    private final @Nullable ConfigSource source;
    private final Duration watchInterval;
    private final Object reconfiguring = new Object();
    /**
     * The configuration's generation, when it was applied, and the last reload: written under {@link #reconfiguring},
     * read without it (the status is read on I/O threads).
     */
    private volatile long generation = 1;
    private volatile Instant appliedAt;
    private volatile ConfigStatus.@Nullable Attempt lastReload;
    private @Nullable ConfigWatch watch;
    private boolean started;
    /** Read without the monitor, which {@link #close()} holds while exchanges drain. */
    private volatile boolean closed;

    private Junction(Builder builder, JunctionConfig config, Extensions extensions, Resolver resolver) {
        this.grace = builder.grace;
        this.clock = builder.clock;
        this.resolver = resolver;
        this.source = builder.source;
        this.watchInterval = builder.watchInterval;
        this.appliedAt = clock.instant();
        Transport handed = builder.transport;
        this.ownTransport = handed == null;
        this.transport = handed != null ? handed : builder.transports().make(config);
        Scheduler given = builder.scheduler;
        this.ownScheduler = given == null ? new ThreadScheduler() : null;
        this.scheduler = given != null ? given : ownScheduler;
        this.runtime = new JunctionRuntime(config, extensions, transport, scheduler, builder.ticker, builder.clock,
                builder.healthListeners, builder.exchangeListeners, builder.scalingListeners, builder.offloads,
                builder.meterRegistry, builder.observationRegistry);
        this.engine = runtime.engine();
        runtime.routes().forEach(this::attach);
        this.routes = handles(runtime.routes());
        this.admin = new Match(engine, null, null);
        runtime.reloads(new Reloads());
    }

    /** Gives a route's run-time form its match, and its handle (the one it had, if the route was built again). */
    private void attach(RouteRuntime route) {
        Route handle = handles.computeIfAbsent(route.name(), name -> new Route(route));
        handle.runtime(route);
        route.handle(new Match(engine, route, handle));
    }

    private List<Route> handles(List<RouteRuntime> current) {
        List<Route> ordered = new ArrayList<>(current.size());
        for (RouteRuntime route : current) {
            ordered.add(handles.get(route.name()));
        }
        handles.keySet().retainAll(current.stream().map(RouteRuntime::name).toList());
        return List.copyOf(ordered);
    }

    /**
     * {@return the version of Junction on the class path, such as {@code 0.1.0}, from the core's jar; {@code unknown}
     * if its build did not write it}
     */
    public static String version() {
        try (InputStream in = Junction.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // Unknown, below.
        }
        return "unknown";
    }

    /**
     * {@return a new builder of a Junction: what to hand in, register and listen to; {@link Builder#build} takes the
     * configuration}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a Junction for a configuration, with everything as by default, not yet started.
     *
     * @param config the configuration to run
     * @return a new Junction, not yet started
     * @throws ConfigException listing every problem, the configuration's own and every extension it names that cannot
     *     be found
     */
    public static Junction create(JunctionConfig config) {
        return builder().build(config);
    }

    /**
     * Starts the transport (if Junction made it), the timers, the active checks and the watch of the configuration
     * source's files (if {@link Builder#watchConfig} set one). Idempotent.
     *
     * @return this Junction
     * @throws IllegalStateException if the Junction is closed
     */
    public synchronized Junction start() {
        if (closed) {
            throw new IllegalStateException("Junction is closed");
        }
        if (!started) {
            runtime.start(ownTransport);
            started = true;
            if (source != null && !watchInterval.isZero()) {
                watch = ConfigWatch.start(source.files(), watchInterval, () -> reloadQuietly("file changed"));
            }
        }
        return this;
    }

    /**
     * Returns what Junction makes of a request: null if it is neither the admin endpoint's nor a route's (the adapter
     * passes the request on, untouched), else the match that serves it. Reads the path, and the host, method, headers,
     * query and client address only as far as routes ask for them; allocates nothing for routes that ask for none.
     *
     * @param head the request's head, as the adapter reads it
     * @return the match that serves the request, or null if the request is not Junction's
     */
    public @Nullable Match match(RequestHead head) {
        if (engine.isAdmin(head.rawPath())) {
            return admin;
        }
        RouteRuntime route = engine.route(head);
        return route == null ? null : (Match) route.handle();
    }

    /** {@return the routes, in configuration order} */
    public List<Route> routes() {
        return routes;
    }

    /**
     * {@return the route named {@code name}, or null if the configuration running has none}
     *
     * @param name the route's name
     */
    public @Nullable Route route(String name) {
        return runtime.route(name) == null ? null : handles.get(name);
    }

    /** {@return the configuration this Junction runs now} */
    public JunctionConfig config() {
        return runtime.config();
    }

    /**
     * Runs {@code next} instead of the configuration running now, without a restart: what did not change is kept.
     * Routes are matched by name. A route whose backends alone changed keeps everything, and its pool is changed in
     * place: a backend that stays keeps its health, breaker, slow start, counters, sessions and pooled connections; a
     * new one starts with slow start and, if its checks do not start it healthy, takes traffic once it passes one; a
     * removed one takes no new request, finishes what it has, and then its connections close. A route whose settings
     * changed is built again, keeping its backends' state and each part whose settings did not change (its sessions,
     * breakers, outlier counts, balancer, queue); its new settings apply to requests that arrive from then on. New
     * routes start; removed ones finish what they have. Requests are routed by the old configuration or the new one,
     * never a mix.
     *
     * <p>{@code client}, {@code limits}, {@code admin}, {@code accessLog} and {@code sharedLimits} take effect only
     * at a start: a configuration that changes them is refused.
     *
     * @param next the configuration to run from now on
     * @return what changed
     * @throws ConfigException listing every problem of {@code next} (its own, the extensions it names, a section only
     *     a start applies); the configuration running is left as it was
     * @throws IllegalStateException if the Junction is closed
     */
    public ConfigChanges reconfigure(JunctionConfig next) {
        return reconfigure(next, "api");
    }

    private ConfigChanges reconfigure(JunctionConfig next, String trigger) {
        Objects.requireNonNull(next, "next");
        synchronized (reconfiguring) {
            if (isClosed()) {
                throw new IllegalStateException("Junction is closed");
            }
            try {
                if (next.equals(runtime.config()) && runtime.runtimeChanges().isEmpty()) {
                    record(trigger, ConfigStatus.Outcome.UNCHANGED, ConfigChanges.NONE, List.of());
                    return ConfigChanges.NONE;
                }
                Extensions extensions = resolver.resolve(next);
                ConfigChanges changes = runtime.reconfigure(next, extensions, this::attach);
                this.routes = handles(runtime.routes());
                generation++;
                appliedAt = clock.instant();
                record(trigger, ConfigStatus.Outcome.APPLIED, changes, List.of());
                LOG.info("Configuration {} applied ({}): {}", generation, trigger, changes);
                return changes;
            } catch (ConfigException e) {
                List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
                record(trigger, ConfigStatus.Outcome.REJECTED, ConfigChanges.NONE, problems);
                LOG.error("Configuration rejected ({}); the one running keeps serving:\n  {}", trigger,
                        String.join("\n  ", problems));
                throw e;
            } catch (RuntimeException e) {
                record(trigger, ConfigStatus.Outcome.REJECTED, ConfigChanges.NONE, List.of(String.valueOf(e)));
                LOG.error("Configuration could not be applied ({})", trigger, e);
                throw e;
            }
        }
    }

    private void record(String trigger, ConfigStatus.Outcome outcome, ConfigChanges changes, List<String> problems) {
        lastReload = new ConfigStatus.Attempt(clock.instant(), trigger, outcome,
                changes.isEmpty() ? "" : changes.toString(), problems);
    }

    /**
     * Reads the configuration again from the builder's {@link Builder#configSource source} and applies it as
     * {@link #reconfigure} does; an invalid one is refused (logged, and shown in the status's {@code configuration})
     * while the one running keeps serving.
     *
     * @return what changed
     * @throws ConfigException listing every problem of the configuration read (or why it could not be read)
     * @throws IllegalStateException if the Junction has no configuration source, or is closed
     */
    public ConfigChanges reload() {
        return reload("api");
    }

    /**
     * Reloads as {@link #reload()}, naming what asked for it ({@code SIGHUP}, {@code deploy script}) in the log and
     * the status.
     *
     * @param trigger what asks for the reload, for the log and the status
     * @return what changed
     * @throws ConfigException listing every problem of the configuration read (or why it could not be read)
     * @throws IllegalStateException if the Junction has no configuration source, or is closed
     */
    public ConfigChanges reload(String trigger) {
        Objects.requireNonNull(trigger, "trigger");
        ConfigSource from = source;
        if (from == null) {
            throw new IllegalStateException("this Junction has no configuration source to reload from"
                    + " (Junction.Builder.configSource); Junction.reconfigure changes its configuration");
        }
        synchronized (reconfiguring) {
            JunctionConfig next;
            try {
                next = from.load(resolver.check());
            } catch (ConfigException e) {
                List<String> problems = e.problems().stream().map(ConfigProblem::toString).toList();
                record(trigger, ConfigStatus.Outcome.REJECTED, ConfigChanges.NONE, problems);
                LOG.error("Configuration {} rejected ({}); the one running keeps serving:\n  {}", from.describe(),
                        trigger, String.join("\n  ", problems));
                throw e;
            }
            return reconfigure(next, trigger);
        }
    }

    /** Reloads as {@link #reload()}, for a trigger of Junction's own: a refusal is logged and in the status. */
    private void reloadQuietly(String trigger) {
        try {
            reload(trigger);
        } catch (ConfigException | IllegalStateException e) {
            // Logged and recorded where it was found.
        }
    }

    /** {@return the configuration's generation and source, and how its last reload went} */
    public ConfigStatus configStatus() {
        return new ConfigStatus(generation, source == null ? null : source.describe(), appliedAt, lastReload,
                runtime.runtimeChanges(), runtime.discoveryStatus());
    }

    private boolean isClosed() {
        return closed;
    }

    /** {@return the number of exchanges being forwarded now} */
    public int inFlight() {
        return engine.inFlight();
    }

    /**
     * Adds a listener of backends' health changes: active checks' verdicts, ejections and their ends.
     *
     * @param listener the listener to tell from now on
     */
    public void addHealthListener(HealthListener listener) {
        runtime.addHealthListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Checks every backend of every route with active checks now, besides the periodic checks; the result completes
     * when all of those checks have ended and been counted.
     *
     * @return a future completed when every check started has ended and been counted
     */
    public CompletableFuture<Void> checkHealth() {
        return runtime.checkHealth();
    }

    /** {@return a snapshot of every route and backend: availability and why, live numbers, health} */
    public List<RouteStatus> status() {
        return runtime.status();
    }

    /**
     * {@return the worker processes of the configuration's {@code cluster}: each one's state, process, port, uptime,
     * restarts and last exit code, and the last rolling restart; empty without a cluster}
     */
    public Optional<ClusterStatus> clusterStatus() {
        return Optional.ofNullable(runtime.clusterStatus());
    }

    /**
     * Replaces the cluster's workers one at a time: each one's replacement is started on the cluster's free port and
     * taken into its routes once healthy, and only then is the worker drained and stopped, so requests see no error.
     * A worker left down after a crash loop is started again. While one runs, this returns it.
     *
     * @param trigger what asks for it, for the log and the status ({@code SIGHUP}, {@code deploy}, ...)
     * @return completes when the last worker is replaced, or when one's replacement does not become healthy (with
     *     its {@code problem}; the workers not yet replaced keep running)
     * @throws IllegalStateException if the configuration has no cluster
     */
    public CompletableFuture<ClusterStatus.RollingRestart> restartWorkers(String trigger) {
        return runtime.restartWorkers(Objects.requireNonNull(trigger, "trigger"));
    }

    /** {@return whether it has been started and not closed: whether it forwards (for a readiness check)} */
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
        ConfigWatch watching = watch;
        if (watching != null) {
            watching.stop();
        }
        if (started) {
            runtime.close(grace, ownTransport);
            LOG.info("Junction stopped");
        }
        if (ownScheduler != null) {
            ownScheduler.stop();
        }
    }

    /** The admin endpoint's view of the configuration: its status, and reloads on a thread of their own. */
    private final class Reloads implements AdminEndpoint.Reloads {

        @Override
        public ConfigStatus status() {
            return configStatus();
        }

        @Override
        public @Nullable CompletableFuture<ConfigStatus.Attempt> reload() {
            if (source == null) {
                return null;
            }
            String trigger = "admin endpoint";
            return CompletableFuture.supplyAsync(() -> {
                // Under the lock throughout: the attempt answered is this request's, not a watch's run meanwhile.
                synchronized (reconfiguring) {
                    ConfigStatus.Attempt before = lastReload;
                    try {
                        Junction.this.reload(trigger);
                    } catch (ConfigException e) {
                        // Recorded, with its problems.
                    } catch (RuntimeException e) {
                        return new ConfigStatus.Attempt(clock.instant(), trigger, ConfigStatus.Outcome.REJECTED, "",
                                List.of(String.valueOf(e.getMessage())));
                    }
                    ConfigStatus.Attempt recorded = lastReload;
                    return recorded != null && recorded != before ? recorded
                            : new ConfigStatus.Attempt(clock.instant(), trigger, ConfigStatus.Outcome.REJECTED, "",
                                    List.of("the reload recorded nothing"));
                }
            }, ConfigWatch.EXECUTOR);
        }
    }

    /** Checks a configuration as the builder would, for a Junction that changes its configuration later. */
    private interface Resolver {

        /** Returns the extensions {@code config} names; throws {@link ConfigException} listing every problem. */
        Extensions resolve(JunctionConfig config);

        /** Returns the check a loader runs with a configuration's own rules. */
        ConfigCheck check();
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
        private final List<ScalingListener> scalingListeners = new ArrayList<>();
        private final List<Offload> offloads = new ArrayList<>();
        private @Nullable ClassLoader classLoader;
        private @Nullable MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private @Nullable ConfigSource source;
        private Duration watchInterval = Duration.ZERO;

        private Builder() {
        }

        /**
         * Sets where {@link Junction#reload()} (and the admin endpoint's {@code POST <admin>/reload}) reads the
         * configuration again; without one, only {@link Junction#reconfigure} changes it.
         *
         * @param source where the configuration is read from
         * @return this builder
         */
        public Builder configSource(ConfigSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Looks at the content of the {@link #configSource source}'s files every {@code interval} once started, and
         * reloads when it has changed (a file replaced, rewritten or renamed into place, as a Kubernetes ConfigMap
         * is); {@link Duration#ZERO}, the default, for never.
         *
         * @param interval how often to look at the files; {@link Duration#ZERO} for never
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is negative, or positive and under 100 ms
         */
        public Builder watchConfig(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || !interval.isZero() && interval.toMillis() < 100) {
                throw new IllegalArgumentException("interval: " + interval + " (expected: 0 for never, or 100 ms or"
                        + " more)");
            }
            this.watchInterval = interval;
            return this;
        }

        /**
         * Sets the monotonic time every duration is measured by; default {@link Ticker#system()}.
         *
         * @param ticker the monotonic time source
         * @return this builder
         */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets the wall clock of the times the status shows; default {@link Clock#systemUTC()}.
         *
         * @param clock the wall clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets where Junction's timed work runs (checks, ejection ends, breaker delays, retry backoff, deadlines);
         * default a daemon thread of its own, {@code junction-scheduler}. One handed in is not stopped by
         * {@link Junction#close()}.
         *
         * @param scheduler where timed work runs
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets the wire towards backends, whatever the configuration's {@code client.transport} says; by default
         * Junction makes its own ({@link #transport(String, TransportFactory)}). One handed in is started and stopped
         * by whoever made it.
         *
         * @param transport the transport to forward with, started and stopped by its owner
         * @return this builder
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Makes a transport available under {@code name}, for the configuration's {@code client.transport}, besides
         * {@code jetty} (a {@link JettyTransport}). A transport made so is Junction's: started and stopped with it.
         *
         * @param name the name the configuration's {@code client.transport} uses
         * @param factory makes the transport from the configuration
         * @return this builder
         * @throws IllegalArgumentException if the name is taken or not lower-case letters, digits and {@code -}
         */
        public Builder transport(String name, TransportFactory factory) {
            Transports.register(transports, name, factory);
            return this;
        }

        /**
         * Names the transport used when the configuration names none: an adapter's own (the Undertow adapter's is
         * {@code undertow}); default {@code jetty}.
         *
         * @param name the name of a transport: {@code jetty} or one made available with
         *     {@link #transport(String, TransportFactory)}
         * @return this builder
         */
        public Builder defaultTransport(String name) {
            this.defaultTransport = Objects.requireNonNull(name, "name");
            return this;
        }

        private Transports transports() {
            return Transports.of(transports, defaultTransport);
        }

        /**
         * Sets how long {@link Junction#close()} waits for exchanges in flight; default {@link #DEFAULT_GRACE}.
         *
         * @param grace the longest wait for exchanges in flight at close
         * @return this builder
         */
        public Builder grace(Duration grace) {
            this.grace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        /**
         * Makes a strategy available to this Junction's configuration under {@code name}, besides the built-ins and
         * those of {@link dev.junction.core.spi.LoadBalancerProvider}s.
         *
         * @param name the name the configuration's {@code strategy} uses
         * @param factory makes the route's load balancer
         * @return this builder
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
         * @param name the name the configuration's {@code healthCheck.check} uses
         * @param check the health check
         * @return this builder
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
         * @param name the name the rate limits' {@code key: resolver:<name>} uses
         * @param resolver the key resolver
         * @return this builder
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
         * @param name the name the queues' {@code classResolver} uses
         * @param resolver the priority resolver
         * @return this builder
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

        /**
         * Adds a listener of backends' health changes, told from the first checks on.
         *
         * @param listener the listener to add
         * @return this builder
         */
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
         *
         * @param registry the registry to record metrics into
         * @return this builder
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
         *
         * @param registry the registry to observe exchanges and attempts in
         * @return this builder
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Adds a listener of the routes' scaling signals ({@code routes[].scaling}): told when a route needs more
         * backends, or could do with fewer.
         *
         * @param listener the listener to add
         * @return this builder
         */
        public Builder scalingListener(ScalingListener listener) {
            scalingListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Shows an offload pool in Junction's status ({@code "offload"} in the admin endpoint's JSON): its queue's
         * depth, its tasks' wait, its refusals. The pool stays its owner's to close.
         *
         * @param offload the pool to show
         * @return this builder
         */
        public Builder offload(Offload offload) {
            offloads.add(Objects.requireNonNull(offload, "offload"));
            return this;
        }

        /**
         * Adds a listener of every attempt and exchange, for meters of one's own.
         *
         * @param listener the listener to add
         * @return this builder
         */
        public Builder exchangeListener(ExchangeListener listener) {
            exchangeListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets the class loader that finds {@link dev.junction.core.spi.LoadBalancerProvider}s; default the one that
         * loaded Junction.
         *
         * @param classLoader the class loader to find providers with
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * {@return the check of the strategies, health checks, key and priority resolvers and transport a
         * configuration names, as this builder would find them, for a loader to report with the configuration's own
         * problems} For example {@code YamlConfigLoader.load(path, builder.configCheck())}.
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
         * @param config the configuration to run
         * @return a new Junction, not yet started
         * @throws ConfigException listing every problem, the configuration's own and every strategy or check it names
         *     that cannot be found, each with its path
         */
        public Junction build(JunctionConfig config) {
            Objects.requireNonNull(config, "config");
            Resolver resolver = resolver();
            // The Junction takes what it needs now (the runtime copies the listener lists, the resolver the
            // registrations): this builder may be changed and used again without touching it.
            return new Junction(this, config, resolver.resolve(config), resolver);
        }

        /** Returns the check of configurations by what this builder holds now. */
        private Resolver resolver() {
            Strategies known = strategies();
            Map<String, HealthCheck> named = Map.copyOf(checks);
            Map<String, KeyResolver> resolvers = Map.copyOf(keyResolvers);
            Map<String, PriorityResolver> priorities = Map.copyOf(priorityResolvers);
            Transports wires = transport == null ? transports() : null;
            ConfigCheck check = configCheck();
            return new Resolver() {
                @Override
                public Extensions resolve(JunctionConfig config) {
                    List<ConfigProblem> problems = new ArrayList<>(Validator.validate(config));
                    Extensions extensions = Extensions.resolve(config, known, named, resolvers, priorities,
                            System::getenv, problems);
                    if (wires != null) {
                        wires.check(config, problems);
                    }
                    if (!problems.isEmpty()) {
                        throw new ConfigException(problems);
                    }
                    return extensions;
                }

                @Override
                public ConfigCheck check() {
                    return check;
                }
            };
        }
    }
}
