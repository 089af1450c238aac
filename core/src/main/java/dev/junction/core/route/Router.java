package dev.junction.core.route;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the route of a request: the path's dot-segments are resolved first ({@link RequestPaths#removeDotSegments}),
 * so {@code /api/../admin} is routed as {@code /admin}, then the longest segment-aware prefix wins.
 *
 * <p>Immutable and thread-safe; matching allocates nothing for a path without dot-segments.
 */
public final class Router {

    private final PrefixMatcher<Route> matcher;
    private final List<Route> routes;

    /** Returns a router over these routes; their prefixes must be unique, as the validator ensures. */
    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.matcher = PrefixMatcher.of(this.routes, Route::prefix);
    }

    /**
     * Returns the route for a request path, or null if no route takes it.
     *
     * @param rawPath the path as received (percent-encoded, no query)
     */
    public @Nullable Route match(String rawPath) {
        return matcher.match(RequestPaths.removeDotSegments(rawPath));
    }

    /** Returns every route, in configuration order. */
    public List<Route> routes() {
        return routes;
    }
}
