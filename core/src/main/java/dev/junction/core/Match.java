package dev.junction.core;

import org.jspecify.annotations.Nullable;

import dev.junction.core.internal.engine.Engine;
import dev.junction.core.internal.engine.RouteRuntime;
import dev.junction.core.spi.ServerExchange;

/**
 * What Junction makes of one request path: its admin endpoint, or one of its routes. Adapters hand it the
 * exchange to serve.
 *
 * <p>Immutable and thread-safe; one per route, made once.
 */
public final class Match {

    private final Engine engine;
    private final @Nullable RouteRuntime runtime;
    private final @Nullable Route route;

    Match(Engine engine, @Nullable RouteRuntime runtime, @Nullable Route route) {
        this.engine = engine;
        this.runtime = runtime;
        this.route = route;
    }

    /** {@return the route the path is under, or null for the admin endpoint} */
    public @Nullable Route route() {
        return route;
    }

    /** {@return whether the path is the admin endpoint's} */
    public boolean admin() {
        return runtime == null;
    }

    /**
     * Serves an exchange whose path this match was made of: forwards it on the route, or answers it as the admin
     * endpoint. Returns at once; the exchange ends in exactly one answer, completed response or abort.
     *
     * @param exchange the exchange to serve, whose path matched this route (or the admin endpoint)
     */
    public void serve(ServerExchange exchange) {
        RouteRuntime target = runtime;
        if (target == null) {
            engine.serveAdmin(exchange);
        } else {
            engine.serve(target, exchange);
        }
    }

    @Override
    public String toString() {
        return runtime == null ? "admin endpoint" : runtime.toString();
    }
}
