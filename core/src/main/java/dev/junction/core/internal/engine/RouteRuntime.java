package dev.junction.core.internal.engine;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.RetryConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.TimeoutConfig;
import dev.junction.core.config.Validator;
import dev.junction.core.internal.affinity.SessionAffinity;
import dev.junction.core.internal.balance.RandomSource;
import dev.junction.core.internal.balance.RouteBalancer;
import dev.junction.core.internal.discovery.DnsDiscovery;
import dev.junction.core.internal.health.OutlierDetector;
import dev.junction.core.internal.limit.ConcurrencyLimiter;
import dev.junction.core.internal.limit.RouteLimits;
import dev.junction.core.internal.metrics.RouteMeters;
import dev.junction.core.internal.resilience.RouteResilience;
import dev.junction.core.internal.route.PathRewrite;
import dev.junction.core.internal.route.RouteConditions;
import dev.junction.core.internal.route.TrustedProxies;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.BackendTls;
import dev.junction.core.spi.HealthListener;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.PriorityResolver;
import dev.junction.core.spi.ScalingListener;
import dev.junction.core.spi.Scheduler;
import dev.junction.core.spi.Ticker;

/**
 * One configured route at run time: everything a request of the route needs, found from this one reference. Its
 * definition, its pool of backends with their live state, the balancer that picks among them, the rewrite of the
 * path it forwards, its session affinity, its outlier detector, its breakers and retries.
 *
 * <p>Built once per configuration of the route. When a new configuration changes the route's settings, the route is
 * built again from its predecessor: the pool (every backend's live state), the totals and the admission slot always
 * carry over, and each part whose settings did not change is the predecessor's own object, with its state: the
 * balancer and release groups, the session table, the outlier counts, the breakers, the queue, the adaptive limit.
 * Only what a changed setting touches starts afresh. A configuration that changes only the route's backends changes
 * its pool in place and keeps the route ({@link #backendsChanged}).
 *
 * <p>Thread-safe; the pool may change while requests are routed.
 */
public final class RouteRuntime {

    private volatile RouteConfig config;
    private final String name;
    private final String prefix;
    private final BackendPool pool;
    private final Admission.Slot slot;
    private final RouteBalancer balancer;
    private final PathRewrite rewrite;
    private final TrustedProxies trustedProxies;
    private final RouteConditions conditions;
    private final @Nullable ReleaseGroups release;
    private final HeaderEdits requestEdits;
    private final HeaderEdits responseEdits;
    private final @Nullable SessionAffinity affinity;
    private final OutlierDetector outliers;
    private final RouteResilience resilience;
    private final @Nullable RetryConfig retries;
    private final TimeoutConfig timeouts;
    private final RouteMeters meters;
    private final @Nullable BackendTls tls;
    private final RouteTotals totals;
    private final @Nullable RouteQueue queue;
    private final @Nullable RouteLimits limits;
    private final @Nullable PriorityResolver priorities;
    private final @Nullable ConcurrencyLimiter concurrency;
    private final @Nullable ScalingWatch scaling;
    /** What the facade hands adapters for this route; set once, when the route first serves. */
    private volatile @Nullable Object handle;

    /**
     * Builds the run-time form of a validated route.
     *
     * @param predecessor the route of the same name in the configuration this one replaces, whose pool (already
     *     holding this configuration's backends), totals and unchanged parts it takes over; null for a new route
     * @param strategy the route's strategy, created from its configuration
     * @param listeners told of health changes; the caller may add to it later
     * @param meters what the route's exchanges are recorded into; {@link RouteMeters#NONE} for nothing
     * @param tls how the route's {@code https://} backends are reached, or null for a route without any
     * @param limits the route's rate limits, or null for none
     * @param priorities the resolver its queue's {@code classResolver} names, or null for none
     * @param admission the gateway's caps, which its queue counts against
     * @param zone the gateway's zone ({@code client.zone}), which a zone-aware route prefers; null for none
     * @param scalingListeners told when its scaling signal changes
     */
    public RouteRuntime(RouteConfig config, @Nullable RouteRuntime predecessor, LoadBalancer strategy, Ticker ticker,
            Clock clock, Scheduler scheduler, List<HealthListener> listeners, RouteMeters meters,
            @Nullable BackendTls tls, @Nullable RouteLimits limits, @Nullable PriorityResolver priorities,
            Admission admission, @Nullable String zone, List<ScalingListener> scalingListeners) {
        RouteConfig before = predecessor == null ? null : predecessor.config;
        this.config = config;
        this.name = config.name();
        this.prefix = Validator.normalisePrefix(config.prefix());
        this.pool = predecessor != null ? predecessor.pool
                : BackendPool.of(DnsDiscovery.fixed(config.backends()), ticker);
        this.slot = predecessor != null ? predecessor.slot : new Admission.Slot();
        this.totals = predecessor != null ? predecessor.totals : new RouteTotals();
        if (predecessor != null && sameBalancing(before, config)) {
            this.balancer = predecessor.balancer;
            this.release = predecessor.release;
        } else {
            this.balancer = new RouteBalancer(pool, strategy, config.whenAllDown(), config.panicThreshold(),
                    config.slowStart(), RandomSource.threadLocal(), null, zone, config.zoneAware());
            this.release = ReleaseGroups.of(config, pool, strategy, scheduler, clock, zone);
            if (predecessor != null) {
                balancer.adoptRamps(predecessor.balancer);
            }
        }
        this.rewrite = PathRewrite.of(config);
        this.trustedProxies = TrustedProxies.of(config);
        this.conditions = RouteConditions.of(config.prefix(), config.match(), trustedProxies);
        this.requestEdits = HeaderEdits.of(config.requestHeaders());
        this.responseEdits = HeaderEdits.of(config.responseHeaders());
        this.affinity = !config.affinity().enabled() ? null
                : predecessor != null && predecessor.affinity != null
                        && same(before, config, RouteConfig::affinity, RouteConfig::trustedProxies)
                        ? predecessor.affinity : new SessionAffinity(config, pool, ticker);
        this.outliers = predecessor != null && same(before, config, RouteConfig::outlierDetection)
                ? predecessor.outliers : new OutlierDetector(config, pool, listeners, ticker, clock);
        this.resilience = predecessor != null && same(before, config, RouteConfig::circuitBreaker,
                RouteConfig::retries) ? predecessor.resilience
                : new RouteResilience(config, pool, scheduler, ticker, listeners, clock,
                        predecessor != null && same(before, config, RouteConfig::circuitBreaker)
                                ? predecessor.resilience : null);
        this.retries = config.retries().enabled() ? config.retries() : null;
        this.timeouts = config.timeouts();
        this.meters = meters;
        this.tls = tls;
        this.queue = predecessor != null && same(before, config, RouteConfig::queue)
                ? predecessor.queue : RouteQueue.of(config.queue(), ticker, meters, admission);
        this.priorities = priorities;
        this.concurrency = predecessor != null && same(before, config, RouteConfig::adaptiveConcurrency,
                RouteConfig::queue) ? predecessor.concurrency
                : ConcurrencyLimiter.of(config.adaptiveConcurrency(), config.queue().classes().size());
        this.limits = limits;
        ScalingWatch carried = predecessor != null && same(before, config, RouteConfig::scaling)
                ? predecessor.scaling : null;
        // Last: the watch reads the route, complete by now.
        this.scaling = carried != null ? carried : ScalingWatch.of(this, clock, scalingListeners);
        if (carried != null) {
            carried.follow(this);
        }
    }

    /** Returns the route's scaling signal, or null if it has none. */
    @Nullable ScalingWatch scaling() {
        return scaling;
    }

    /** Returns whether the balancer and release groups of {@code before} serve {@code after} as they are. */
    private static boolean sameBalancing(RouteConfig before, RouteConfig after) {
        return same(before, after, RouteConfig::strategy, RouteConfig::whenAllDown, RouteConfig::panicThreshold,
                RouteConfig::slowStart, RouteConfig::zoneAware, RouteConfig::release, RouteConfig::groups);
    }

    /** Returns whether two configurations of a route agree on every part named. */
    @SafeVarargs
    static boolean same(@Nullable RouteConfig before, RouteConfig after, Function<RouteConfig, ?>... parts) {
        if (before == null) {
            return false;
        }
        for (Function<RouteConfig, ?> part : parts) {
            if (!Objects.equals(part.apply(before), part.apply(after))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns whether {@code next} differs from this route's configuration in its backends alone (their release
     * groups aside): then {@link #backendsChanged} applies it, and nothing else is built again.
     */
    public boolean differsOnlyInBackends(RouteConfig next) {
        RouteConfig current = config;
        return current.withBackends(next.backends()).equals(next) && current.groups().equals(next.groups());
    }

    /** Takes {@code next} as the route's configuration, which {@link #differsOnlyInBackends} accepted. */
    public void backendsChanged(RouteConfig next) {
        config = next;
    }

    /** Returns the slot the gateway's caps count the route's exchanges in. */
    Admission.Slot slot() {
        return slot;
    }

    /** Returns what the facade hands adapters for this route, or null before it has set one. */
    public @Nullable Object handle() {
        return handle;
    }

    /** Sets what the facade hands adapters for this route. */
    public void handle(Object value) {
        this.handle = value;
    }

    /** Returns the resolver that chooses a request's class before the queue's rules, or null for none. */
    @Nullable PriorityResolver priorities() {
        return priorities;
    }

    /** Returns the route's adaptive concurrency limit, or null if it has none. */
    public @Nullable ConcurrencyLimiter concurrency() {
        return concurrency;
    }

    /** Returns the route's rate limits, or null if it has none ({@code routes[].rateLimits}). */
    public @Nullable RouteLimits limits() {
        return limits;
    }

    /** Returns the route's queue, or null if requests do not wait ({@code routes[].queue}). */
    @Nullable RouteQueue queue() {
        return queue;
    }

    /**
     * Returns whether a backend of the route would serve but for its {@code maxConcurrent} limit: healthy, enabled,
     * not ejected, its breaker not open, and full. Only then is a request worth queueing.
     */
    boolean backendAtLimit() {
        BackendPool.Snapshot snapshot = pool.snapshot();
        return atLimit(snapshot.primaries()) || atLimit(snapshot.backups());
    }

    private static boolean atLimit(List<Backend> backends) {
        for (int i = 0; i < backends.size(); i++) {
            Backend backend = backends.get(i);
            if (backend.atCapacity() && backend.wouldServe()) {
                return true;
            }
        }
        return false;
    }

    /** A request of the route ended, and with it its hold on a backend: the first waiter, if any, tries again. */
    void placeFreed() {
        RouteQueue waiting = queue;
        if (waiting != null) {
            RouteQueue.Waiter first = waiting.poll();
            if (first != null) {
                first.exchange().resume(first);
            }
        }
    }

    /**
     * A backend of the route can take requests again, or more of them (healthy again, its ejection over, its breaker
     * letting trials through, added, enabled or given a higher limit): as many waiters as it has free places try
     * again, each on its own I/O thread. A woken waiter that finds no place keeps its place at the head.
     */
    void placesOpened(Backend backend) {
        RouteQueue waiting = queue;
        if (waiting == null || !backend.wouldServe()) {
            return;
        }
        int free = backend.maxConcurrent() == 0 ? waiting.depth()
                : Math.max(0, backend.maxConcurrent() - backend.state().inFlight());
        for (int i = 0; i < free; i++) {
            RouteQueue.Waiter first = waiting.poll();
            if (first == null) {
                return;
            }
            first.exchange().resume(first);
        }
    }

    /**
     * Returns the TLS a request to {@code backend} goes with: for an {@code https://} one the route's, or the JDK's
     * defaults for a route that had no {@code https://} backend when it was built; null for {@code http://}.
     */
    @Nullable BackendTls tls(Backend backend) {
        if (!"https".equals(backend.origin().getScheme())) {
            return null;
        }
        return tls != null ? tls : BackendTls.defaults();
    }

    /**
     * Starts what runs on its own: ejection ends and breaker delays, on {@code scheduler}, and a release's steps and
     * watch. Parts taken over from a predecessor are running already and are left as they are.
     */
    void start(Scheduler scheduler) {
        outliers.start(scheduler);
        resilience.start();
        if (release != null) {
            release.start();
        }
        if (scaling != null) {
            scaling.start(scheduler);
        }
    }

    /** Stops ejecting, a release's steps and watch, and the scaling signal. */
    void stop() {
        outliers.stop();
        if (release != null) {
            release.stop();
        }
        if (scaling != null) {
            scaling.stop();
        }
    }

    /**
     * Ends the route's part in the configuration: what {@code successor} (its replacement, or null if the route is
     * gone) did not take over stops, and no longer follows the pool. Exchanges in flight on it finish on it.
     */
    void retire(@Nullable RouteRuntime successor) {
        if (successor == null || successor.balancer != balancer) {
            balancer.close();
            if (release != null) {
                release.close();
            }
        }
        if (successor == null || successor.outliers != outliers) {
            outliers.stop();
        }
        if (successor == null || successor.resilience != resilience) {
            resilience.close(successor != null && successor.resilience.adopted(resilience));
        }
        if (scaling != null && (successor == null || successor.scaling != scaling)) {
            scaling.stop();
        }
    }

    /** Returns the route's release groups, or null if its backends name none. */
    public @Nullable ReleaseGroups release() {
        return release;
    }

    /** Starts a backend's slow start in every balancer that selects it. */
    void startRamp(Backend backend) {
        balancer.startRamp(backend);
        ReleaseGroups groups = release;
        int group = groups == null ? -1 : groups.groupOf(backend);
        if (group >= 0) {
            groups.balancer(group).startRamp(backend);
        }
    }

    /** Works out panic again, the route's and its groups'; returns whether the route's changed. */
    boolean updatePanic() {
        ReleaseGroups groups = release;
        if (groups != null) {
            for (int i = 0; i < groups.groups(); i++) {
                groups.balancer(i).updatePanic();
            }
        }
        return balancer.updatePanic();
    }

    public RouteConfig config() {
        return config;
    }

    public String name() {
        return name;
    }

    /** Returns the normalised prefix ({@code /api}, never {@code /api/}). */
    public String prefix() {
        return prefix;
    }

    public BackendPool pool() {
        return pool;
    }

    public RouteBalancer balancer() {
        return balancer;
    }

    /** Returns what the route takes: its prefix, hosts and conditions. */
    public RouteConditions conditions() {
        return conditions;
    }

    /** Returns how the headers of requests to the backends are edited. */
    HeaderEdits requestEdits() {
        return requestEdits;
    }

    /** Returns how the headers of the backends' responses are edited. */
    HeaderEdits responseEdits() {
        return responseEdits;
    }

    TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    PathRewrite rewrite() {
        return rewrite;
    }

    /** Returns the route's session affinity and session manager, or null if it has none. */
    public @Nullable SessionAffinity affinity() {
        return affinity;
    }

    OutlierDetector outliers() {
        return outliers;
    }

    public RouteResilience resilience() {
        return resilience;
    }

    /** Returns the route's retries, or null if it has none. */
    @Nullable RetryConfig retries() {
        return retries;
    }

    TimeoutConfig timeouts() {
        return timeouts;
    }

    /** Returns what the route's exchanges, attempts and retries are recorded into. */
    RouteMeters meters() {
        return meters;
    }

    /** Returns what the route's exchanges have added up to, always kept. */
    RouteTotals totals() {
        return totals;
    }

    @Override
    public String toString() {
        return "route " + name + " (" + prefix + ")";
    }
}
