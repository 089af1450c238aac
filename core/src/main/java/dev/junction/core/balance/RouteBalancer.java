package dev.junction.core.balance;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.WhenAllDown;
import dev.junction.core.pool.Availability;
import dev.junction.core.pool.Backend;
import dev.junction.core.pool.BackendPool;

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
 * <p>Thread-safe. Listens to its pool and rebuilds the strategy's selectors when the membership changes (off the
 * request path); {@link #select} reads them with one volatile read, so it never sees a half-applied change.
 */
public final class RouteBalancer {

    /**
     * The selectors for one snapshot of the pool. Panic mode gets selectors of its own: a selection that found
     * nothing available has already moved the normal selector's counters, and reusing it would skew or, with an
     * even group size, halve the panic rotation.
     */
    private record Tiers(long version, LoadBalancer.Selector primaries, LoadBalancer.Selector backups,
            boolean hasBackups, LoadBalancer.Selector panicPrimaries, LoadBalancer.Selector panicBackups) {
    }

    private final BackendPool pool;
    private final LoadBalancer strategy;
    private final WhenAllDown whenAllDown;
    private final int panicThreshold;
    private volatile Tiers tiers;
    private volatile boolean panicking;

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
        this.pool = Objects.requireNonNull(pool, "pool");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.whenAllDown = Objects.requireNonNull(whenAllDown, "whenAllDown");
        this.panicThreshold = panicThreshold;
        this.tiers = build(pool.snapshot());
        pool.addListener((change, backend, snapshot) -> refresh());
    }

    /**
     * Returns the backend for this request, or null if none may be used (the caller answers 503). Allocation-free
     * for the non-hashing strategies.
     */
    public @Nullable Backend select(SelectionContext context) {
        Tiers current = tiers;
        if (panicking) {
            Backend backend = current.panicPrimaries.select(context, Eligibility.PANIC);
            if (backend != null) {
                return backend;
            }
        }
        Backend backend = current.primaries.select(context, Eligibility.AVAILABLE);
        if (backend == null && current.hasBackups) {
            backend = current.backups.select(context, Eligibility.AVAILABLE);
        }
        if (backend == null && whenAllDown == WhenAllDown.PANIC) {
            backend = current.panicPrimaries.select(context, Eligibility.PANIC);
            if (backend == null && current.hasBackups) {
                backend = current.panicBackups.select(context, Eligibility.PANIC);
            }
        }
        return backend;
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
            for (Backend backend : pool.snapshot().primaries()) {
                if (!backend.disabled()) {
                    usable++;
                    if (backend.state().availability() == Availability.HEALTHY && !backend.state().ejected()) {
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
        if (snapshot.version() > tiers.version()) {
            tiers = build(snapshot);
            updatePanic();
        }
    }

    private Tiers build(BackendPool.Snapshot snapshot) {
        LoadBalancer.Selector primaries = strategy.selector(snapshot.primaries());
        LoadBalancer.Selector backups = strategy.selector(snapshot.backups());
        boolean panic = whenAllDown == WhenAllDown.PANIC || panicThreshold > 0;
        return new Tiers(snapshot.version(), primaries, backups, !snapshot.backups().isEmpty(),
                panic ? strategy.selector(snapshot.primaries()) : primaries,
                panic ? strategy.selector(snapshot.backups()) : backups);
    }
}
