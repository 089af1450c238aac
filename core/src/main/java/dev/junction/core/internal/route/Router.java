package dev.junction.core.internal.route;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Finds the route of a request: the path's dot-segments are resolved first ({@link RequestPaths#removeDotSegments}),
 * so {@code /api/../admin} is routed as {@code /admin}, then the longest segment-aware prefix wins.
 *
 * <p>Immutable and thread-safe; matching allocates nothing for a path without dot-segments.
 *
 * @param <R> what a route is at run time
 */
public final class Router<R> {

    private final PrefixMatcher<R> matcher;
    private final List<R> routes;

    /**
     * Returns a router over these routes; their prefixes must be unique, as the validator ensures.
     *
     * @param prefix a route's normalised prefix ({@code /api}, never {@code /api/})
     */
    public Router(List<R> routes, Function<R, String> prefix) {
        this.routes = List.copyOf(routes);
        this.matcher = PrefixMatcher.of(this.routes, prefix);
    }

    /**
     * Returns the route for a request path, or null if no route takes it.
     *
     * @param rawPath the path as received (percent-encoded, no query)
     */
    public @Nullable R match(String rawPath) {
        return matcher.match(RequestPaths.removeDotSegments(rawPath));
    }

    /** Returns every route, in configuration order. */
    public List<R> routes() {
        return routes;
    }
}
