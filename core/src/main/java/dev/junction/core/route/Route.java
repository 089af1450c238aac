package dev.junction.core.route;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.junction.core.Ticker;
import dev.junction.core.affinity.SessionAffinity;
import dev.junction.core.balance.LoadBalancerRegistry;
import dev.junction.core.balance.RandomSource;
import dev.junction.core.balance.RouteBalancer;
import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.Validator;
import dev.junction.core.pool.BackendPool;

/**
 * One configured route at run time: its definition, its pool of backends with their live state, the balancer that
 * picks among them and the rewrite of the path it forwards.
 *
 * <p>Thread-safe; the pool may change while requests are routed.
 */
public final class Route {

    private final RouteConfig config;
    private final String prefix;
    private final BackendPool pool;
    private final RouteBalancer balancer;
    private final PathRewrite rewrite;
    private final @Nullable SessionAffinity affinity;

    private Route(RouteConfig config, BackendPool pool, Ticker ticker) {
        this.config = config;
        this.prefix = Validator.normalisePrefix(config.prefix());
        this.pool = pool;
        this.balancer = new RouteBalancer(pool, LoadBalancerRegistry.create(config.strategy()), config.whenAllDown(),
                config.panicThreshold(), config.slowStart(), RandomSource.threadLocal());
        this.rewrite = PathRewrite.of(config);
        this.affinity = config.affinity().enabled() ? new SessionAffinity(this, ticker) : null;
    }

    /** Returns the run-time form of a validated route, its backends' state read with {@code ticker}. */
    public static Route of(RouteConfig config, Ticker ticker) {
        Objects.requireNonNull(config, "config");
        return new Route(config, BackendPool.of(config.backends(), ticker), ticker);
    }

    public RouteConfig config() {
        return config;
    }

    public String name() {
        return config.name();
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

    public PathRewrite rewrite() {
        return rewrite;
    }

    /** Returns the route's session affinity and session manager, or null if it has none. */
    public @Nullable SessionAffinity affinity() {
        return affinity;
    }

    @Override
    public String toString() {
        return "route " + config.name() + " (" + prefix + ")";
    }
}
