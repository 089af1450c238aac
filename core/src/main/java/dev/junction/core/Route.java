package dev.junction.core;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.RouteConfig;
import dev.junction.core.internal.affinity.SessionAffinity;
import dev.junction.core.internal.engine.ReleaseGroups;
import dev.junction.core.internal.engine.RouteRuntime;
import dev.junction.core.internal.resilience.BackendBreaker;
import dev.junction.core.pool.BackendPool;
import dev.junction.core.spi.Backend;

/**
 * One route of a running {@link Junction}, for an operator's code: its definition, its pool of backends (to add,
 * update, remove or drain backends at run time), its release groups, its sessions and its backends' circuit breakers.
 *
 * <pre>{@code
 * Route api = junction.route("api");
 * api.pool().add(BackendConfig.of("http://10.0.0.9:8080"));
 * api.pool().availability("backend-2", Availability.DRAINING);
 * Breaker breaker = api.breaker(api.pool().get("backend-3"));
 * }</pre>
 *
 * <p>A route keeps its handle across {@link Junction#reconfigure} (and reloads) while the configuration has a route of
 * its name; the handle then reads the route as it is now, and its pool is the same pool.
 *
 * <p>Thread-safe.
 */
public final class Route {

    /** The route's run-time form now: a route built again by a reconfiguration keeps its handle. */
    private volatile RouteRuntime runtime;

    Route(RouteRuntime runtime) {
        this.runtime = runtime;
    }

    void runtime(RouteRuntime current) {
        this.runtime = current;
    }

    /** {@return the route's name} */
    public String name() {
        return runtime.name();
    }

    /** {@return the normalised prefix ({@code /api}, never {@code /api/})} */
    public String prefix() {
        return runtime.prefix();
    }

    /** {@return the route's definition} */
    public RouteConfig config() {
        return runtime.config();
    }

    /** {@return the route's backends, to read or change at run time} */
    public BackendPool pool() {
        return runtime.pool();
    }

    /** {@return whether the route is in panic: spreading traffic over healthy and unhealthy primaries alike} */
    public boolean panicking() {
        return runtime.balancer().panicking();
    }

    /** {@return the route's sessions, or null if it has no session affinity} */
    public @Nullable Sessions sessions() {
        SessionAffinity affinity = runtime.affinity();
        return affinity == null ? null : new Sessions(affinity);
    }

    /** {@return how the route's traffic is split between its release groups, or null if its backends name none} */
    public @Nullable Release release() {
        ReleaseGroups groups = runtime.release();
        return groups == null ? null : new Release(groups);
    }

    /**
     * {@return the circuit breaker of one of the route's backends, to read or to hold open or closed; null if the route
     * has no breakers or its Junction has not started}
     *
     * @param backend one of the route's backends, as its {@link #pool()} gives it
     */
    public @Nullable Breaker breaker(Backend backend) {
        BackendBreaker breaker = runtime.resilience().breaker(backend);
        return breaker == null ? null : new Breaker(breaker);
    }

    @Override
    public String toString() {
        return runtime.toString();
    }
}
