package dev.junction.core.internal.balance;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.SlowStartConfig;
import dev.junction.core.config.WhenAllDown;
import dev.junction.core.config.ZoneAwareConfig;
import dev.junction.core.internal.LiveState;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.pool.PoolListener;
import dev.junction.core.spi.Availability;
import dev.junction.core.spi.Backend;
import dev.junction.core.spi.Eligibility;
import dev.junction.core.spi.LoadBalancer;
import dev.junction.core.spi.SelectionContext;
import dev.junction.core.spi.Ticker;

/**
 * Picks the backend for each request of one route: the route's strategy applied with the rules common to all
 * strategies.
 * <ol>
 *   <li>In panic (fewer healthy primaries than the route's panic threshold, but some), any primary not disabled and
 *       below its limit, healthy or not: traffic spreads over the whole tier rather than crushing the few left.</li>
 *   <li>An available primary backend (not disabled, healthy, below its concurrency limit).</li>
 *   <li>Otherwise an available backup backend, as nginx's {@code backup} servers.</li>
 *   <li>Otherwise, if the route's {@code whenAllDown} is {@link WhenAllDown#PANIC}, any primary and then any backup
 *       not disabled and below its limit, healthy or not; if it is {@link WhenAllDown#FAIL}, nothing: the caller
 *       answers 503.</li>
 * </ol>
 *
 * <p>During a slow start ({@link #startRamp}), a ramping backend the strategy picks is kept with probability equal to
 * its ramp share and otherwise passed over for another pick of the same tier without it, so it takes that share of
 * the traffic it would have had: for a proportional strategy its share of requests, for least-connections its share of
 * the picks it wins by being least loaded (which, for a fresh backend with nothing in flight, is nearly all). Keyed
 * strategies are left alone. Outside a ramp this costs one volatile read per selection.
 *
 * <p>Thread-safe. Listens to its pool and rebuilds the strategy's selectors when the membership changes (off the
 * request path); {@link #select} reads them with one volatile read, so it never sees a half-applied change.
 */
public final class RouteBalancer {

    /**
     * The selectors for one snapshot of the pool. Panic mode gets selectors of its own: a selection that found
     * nothing available has already moved the normal selector's counters, and reusing it would skew or, with an
     * even group size, halve the panic rotation.
     */
    private record Tiers(BackendPool.Snapshot snapshot, List<Backend> primaryBackends, LoadBalancer.Selector primaries,
            LoadBalancer.Selector backups, boolean hasBackups, LoadBalancer.Selector panicPrimaries,
            LoadBalancer.Selector panicBackups, List<Backend> localBackends, List<Backend> otherBackends,
            LoadBalancer.@Nullable Selector local) {
    }

    /** How many ramping backends one selection passes over at most before it keeps its pick. */
    private static final int MAX_RAMP_PASSES = 4;
    /** The granularity of the keep-or-pass draw. */
    private static final int RAMP_RESOLUTION = 1 << 16;

    private final BackendPool pool;
    private final PoolListener poolListener;
    private final @Nullable Predicate<Backend> members;
    private final @Nullable String zone;
    private final ZoneAwareConfig zoneAware;
    /** Whether the last selection spread over every zone although the route prefers its own. */
    private volatile boolean spilling;
    private final LongAdder spilledSelections = new LongAdder();
    private final LoadBalancer strategy;
    private final WhenAllDown whenAllDown;
    private final int panicThreshold;
    private final SlowStartConfig slowStart;
    private final long rampWindowNanos;
    private final double rampMinShare;
    private final RandomSource random;
    private final Ticker ticker;
    private volatile Tiers tiers;
    private volatile boolean panicking;
    private final LongAdder backupSelections = new LongAdder();
    private final LongAdder panicSelections = new LongAdder();
    /** Whether a backend may be ramping; cleared once the last ramp has ended. */
    private volatile boolean ramping;
    private volatile long rampsEndNanos;

    /** Creates the balancer, with no panic threshold, and subscribes it to the pool's changes. */
    public RouteBalancer(BackendPool pool, LoadBalancer strategy, WhenAllDown whenAllDown) {
        this(pool, strategy, whenAllDown, 0);
    }

    /**
     * Creates the balancer and subscribes it to the pool's changes.
     *
     * @param panicThreshold the share of healthy primaries, in percent, below which (and above none) the route
     *     panics; 0 for never
     */
    public RouteBalancer(BackendPool pool, LoadBalancer strategy, WhenAllDown whenAllDown, int panicThreshold) {
        this(pool, strategy, whenAllDown, panicThreshold, SlowStartConfig.NONE, RandomSource.threadLocal());
    }

    /**
     * Creates the balancer and subscribes it to the pool's changes.
     *
     * @param panicThreshold the share of healthy primaries, in percent, below which (and above none) the route
     *     panics; 0 for never
     * @param slowStart how backends ramp up after {@link #startRamp}
     * @param random decides which picks of a ramping backend are kept
     */
    public RouteBalancer(BackendPool pool, LoadBalancer strategy, WhenAllDown whenAllDown, int panicThreshold,
            SlowStartConfig slowStart, RandomSource random) {
        this(pool, strategy, whenAllDown, panicThreshold, slowStart, random, null);
    }

    /**
     * Creates a balancer over some of the pool's backends, such as one release group's, and subscribes it to the
     * pool's changes: its tiers, panic and ramps count only those.
     *
     * @param members which backends it selects from; null for all
     */
    public RouteBalancer(BackendPool pool, LoadBalancer strategy, WhenAllDown whenAllDown, int panicThreshold,
            SlowStartConfig slowStart, RandomSource random, @Nullable Predicate<Backend> members) {
        this(pool, strategy, whenAllDown, panicThreshold, slowStart, random, members, null, ZoneAwareConfig.NONE);
    }

    /**
     * Creates a balancer over some of the pool's backends that prefers those in the gateway's zone, and subscribes it
     * to the pool's changes.
     *
     * @param members which backends it selects from; null for all
     * @param zone the gateway's zone, or null for none (then every zone is alike)
     * @param zoneAware when the local zone's primaries are preferred
     */
    public RouteBalancer(BackendPool pool, LoadBalancer strategy, WhenAllDown whenAllDown, int panicThreshold,
            SlowStartConfig slowStart, RandomSource random, @Nullable Predicate<Backend> members,
            @Nullable String zone, ZoneAwareConfig zoneAware) {
        this.members = members;
        this.zone = zoneAware.enabled() ? zone : null;
        this.zoneAware = zoneAware;
        this.pool = Objects.requireNonNull(pool, "pool");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.whenAllDown = Objects.requireNonNull(whenAllDown, "whenAllDown");
        this.panicThreshold = panicThreshold;
        this.slowStart = Objects.requireNonNull(slowStart, "slowStart");
        this.rampWindowNanos = slowStart.window().toNanos();
        this.rampMinShare = slowStart.minWeightPercent() / 100.0;
        this.random = Objects.requireNonNull(random, "random");
        this.ticker = pool.ticker();
        this.tiers = build(pool.snapshot());
        this.poolListener = (change, backend, snapshot) -> {
            if (members != null && !members.test(backend)) {
                refresh();
                return;
            }
            // A backend added, or enabled again by an operator, ramps up like one whose health came back.
            Backend before = tiers.snapshot().get(backend.id());
            if (change == PoolListener.Change.ADDED
                    || change == PoolListener.Change.UPDATED && before != null && before.disabled()
                            && !backend.disabled()) {
                startRamp(backend);
            }
            refresh();
        };
        pool.addListener(poolListener);
    }

    /**
     * Returns the backend for this request, or null if none may be used (the caller answers 503). Allocation-free
     * for the non-hashing strategies.
     */
    public @Nullable Backend select(SelectionContext context) {
        Backend backend = select(context, Eligibility.AVAILABLE, Eligibility.PANIC, true);
        return ramping && backend != null ? ramped(context, backend) : backend;
    }

    /** Selects from the tiers in order; {@code count}s a fallback to the backups or to panic. */
    private @Nullable Backend select(SelectionContext context, Eligibility available, Eligibility panic,
            boolean count) {
        Tiers current = tiers;
        if (panicking) {
            Backend backend = current.panicPrimaries.select(context, panic);
            if (backend != null) {
                counted(count, panicSelections);
                return backend;
            }
        }
        LoadBalancer.Selector local = current.local;
        if (local != null) {
            if (localCarries(current)) {
                Backend backend = local.select(context, available);
                if (backend != null) {
                    spilling = false;
                    return backend;
                }
            }
            counted(count, spilledSelections);
            spilling = true;
        }
        Backend backend = current.primaries.select(context, available);
        if (backend != null) {
            return backend;
        }
        if (current.hasBackups) {
            backend = current.backups.select(context, available);
            if (backend != null) {
                counted(count, backupSelections);
                return backend;
            }
        }
        if (whenAllDown == WhenAllDown.PANIC) {
            backend = current.panicPrimaries.select(context, panic);
            if (backend == null && current.hasBackups) {
                backend = current.panicBackups.select(context, panic);
            }
            if (backend != null) {
                counted(count, panicSelections);
            }
        }
        return backend;
    }

    /**
     * Returns whether the local zone can carry the route's traffic: enough of its primaries healthy, and its load (in
     * flight per unit of weight) not above the other zones' by more than the margin.
     */
    private boolean localCarries(Tiers current) {
        int usable = 0;
        int healthy = 0;
        long localInFlight = 0;
        long localWeight = 0;
        List<Backend> localBackends = current.localBackends;
        for (int i = 0; i < localBackends.size(); i++) {
            Backend backend = localBackends.get(i);
            if (backend.disabled()) {
                continue;
            }
            usable++;
            if (backend.isAvailable()) {
                healthy++;
                localInFlight += backend.state().inFlight();
                localWeight += backend.weight();
            }
        }
        if (healthy == 0 || healthy * 100 < zoneAware.minHealthyPercent() * usable) {
            return false;
        }
        if (zoneAware.loadMarginPercent() == 0) {
            return true;
        }
        long otherInFlight = 0;
        long otherWeight = 0;
        List<Backend> others = current.otherBackends;
        for (int i = 0; i < others.size(); i++) {
            Backend backend = others.get(i);
            if (backend.isAvailable()) {
                otherInFlight += backend.state().inFlight();
                otherWeight += backend.weight();
            }
        }
        if (otherWeight == 0) {
            return true;
        }
        // local / localWeight <= (1 + margin) * other / otherWeight, plus one request of slack so an idle zone's
        // first request never spills, in integers.
        return (localInFlight - localWeight) * otherWeight * 100
                <= (100L + zoneAware.loadMarginPercent()) * otherInFlight * localWeight;
    }

    /** Returns whether the last selection spread over every zone although the route prefers the gateway's. */
    public boolean spilling() {
        return spilling;
    }

    /** Returns how many selections spread over every zone although the route prefers the gateway's. */
    public long spilledSelections() {
        return spilledSelections.sum();
    }

    private static void counted(boolean count, LongAdder selections) {
        if (count) {
            selections.increment();
        }
    }

    /** Returns how many selections fell back to a backup backend, every primary being unavailable. */
    public long backupSelections() {
        return backupSelections.sum();
    }

    /** Returns how many selections were made in panic, from backends that are not all available. */
    public long panicSelections() {
        return panicSelections.sum();
    }

    /**
     * Keeps a pick of a ramping backend with the probability of its ramp share; otherwise picks again without it,
     * from the same tier (a ramping primary never sends its traffic to the backups).
     */
    private Backend ramped(SelectionContext context, Backend picked) {
        long now = ticker.nanos();
        if (now - rampsEndNanos >= 0) {
            endRamps(now);
            return picked;
        }
        Backend chosen = picked;
        Eligibility available = Eligibility.AVAILABLE;
        Eligibility panic = Eligibility.PANIC;
        for (int passes = 0; passes < MAX_RAMP_PASSES; passes++) {
            double share = LiveState.of(chosen).rampShare(now, rampWindowNanos, rampMinShare);
            if (share >= 1.0 || random.nextInt(RAMP_RESOLUTION) < share * RAMP_RESOLUTION) {
                return chosen;
            }
            available = available.excluding(chosen);
            panic = panic.excluding(chosen);
            Backend other = select(context, available, panic, false);
            if (other == null || other.backup() != chosen.backup()) {
                return chosen;
            }
            chosen = other;
        }
        return chosen;
    }

    /**
     * Starts a slow-start ramp for a backend that has come back or been added, unless the route has no slow start or
     * its strategy is keyed.
     */
    public synchronized void startRamp(Backend backend) {
        if (!slowStart.enabled() || strategy.keyed() || members != null && !members.test(backend)) {
            return;
        }
        LiveState.of(backend).startRamp();
        long end = ticker.nanos() + rampWindowNanos;
        if (!ramping || end - rampsEndNanos > 0) {
            rampsEndNanos = end;
        }
        ramping = true;
    }

    /**
     * Takes over the ramps a balancer this one replaces had under way, so a backend that was ramping when its route's
     * settings changed ramps on to the end of its window.
     */
    public synchronized void adoptRamps(RouteBalancer predecessor) {
        synchronized (predecessor) {
            if (predecessor.ramping && slowStart.enabled() && !strategy.keyed()) {
                ramping = true;
                rampsEndNanos = predecessor.rampsEndNanos;
            }
        }
    }

    /** Stops following the pool's changes: the balancer's route is gone or built again without it. */
    public void close() {
        pool.removeListener(poolListener);
    }

    private synchronized void endRamps(long now) {
        if (now - rampsEndNanos >= 0) {
            ramping = false;
        }
    }

    /**
     * Works out again whether the route is in panic, after a backend's health changed; returns whether that
     * changed. Counts the primaries not disabled and, of those, the healthy and not ejected ones.
     */
    public synchronized boolean updatePanic() {
        boolean panic = false;
        if (panicThreshold > 0) {
            int usable = 0;
            int healthy = 0;
            for (Backend backend : tiers.primaryBackends()) {
                if (!backend.disabled()) {
                    usable++;
                    if (backend.state().availability() == Availability.HEALTHY && !backend.state().blocked()) {
                        healthy++;
                    }
                }
            }
            panic = healthy > 0 && healthy * 100 < panicThreshold * usable;
        }
        boolean changed = panic != panicking;
        panicking = panic;
        return changed;
    }

    /** Returns whether the route is in panic: spreading traffic over healthy and unhealthy primaries alike. */
    public boolean panicking() {
        return panicking;
    }

    /** Returns the pool this balancer selects from. */
    public BackendPool pool() {
        return pool;
    }

    /** Returns the route's strategy. */
    public LoadBalancer strategy() {
        return strategy;
    }

    public WhenAllDown whenAllDown() {
        return whenAllDown;
    }

    /**
     * Rebuilds the selectors if the pool has changed since they were built. Concurrent changes may report out of
     * order, so the newest snapshot wins rather than the last report.
     */
    private synchronized void refresh() {
        BackendPool.Snapshot snapshot = pool.snapshot();
        if (snapshot.version() > tiers.snapshot().version()) {
            tiers = build(snapshot);
            updatePanic();
        }
    }

    private Tiers build(BackendPool.Snapshot snapshot) {
        List<Backend> primaryBackends = members(snapshot.primaries());
        List<Backend> backupBackends = members(snapshot.backups());
        LoadBalancer.Selector primaries = strategy.selector(primaryBackends);
        LoadBalancer.Selector backups = strategy.selector(backupBackends);
        boolean panic = whenAllDown == WhenAllDown.PANIC || panicThreshold > 0;
        String local = zone;
        List<Backend> localBackends = local == null ? List.of() : primaryBackends.stream()
                .filter(backend -> local.equals(backend.metadata().get(ZoneAwareConfig.ZONE_KEY))).toList();
        List<Backend> otherBackends = local == null ? List.of() : primaryBackends.stream()
                .filter(backend -> !localBackends.contains(backend)).toList();
        return new Tiers(snapshot, primaryBackends, primaries, backups, !backupBackends.isEmpty(),
                panic ? strategy.selector(primaryBackends) : primaries,
                panic ? strategy.selector(backupBackends) : backups, localBackends, otherBackends,
                localBackends.isEmpty() ? null : strategy.selector(localBackends));
    }

    private List<Backend> members(List<Backend> backends) {
        Predicate<Backend> filter = members;
        return filter == null ? backends : backends.stream().filter(filter).toList();
    }
}
