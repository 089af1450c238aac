package dev.junction.core.internal.route;

import org.jspecify.annotations.Nullable;

import dev.junction.core.config.RouteConfig;
import dev.junction.core.config.Validator;

/**
 * How a route turns the path it matched into the path sent to the backend: unchanged, with the prefix stripped
 * ({@code /api/users} → {@code /users}), or with the prefix replaced ({@code /api/users} → {@code /v2/users}). The
 * rest of the path is kept byte for byte, percent-escapes included.
 *
 * <p>Immutable and thread-safe.
 */
public final class PathRewrite {

    private final String prefix;
    private final @Nullable String replacement;

    private PathRewrite(String prefix, @Nullable String replacement) {
        this.prefix = prefix;
        this.replacement = replacement;
    }

    /** Returns the rewrite a route is configured with. */
    public static PathRewrite of(RouteConfig route) {
        String prefix = Validator.normalisePrefix(route.prefix());
        if (route.rewrite() != null) {
            return new PathRewrite(prefix, Validator.normalisePrefix(route.rewrite()));
        }
        return new PathRewrite(prefix, route.stripPrefix() ? "" : null);
    }

    /**
     * Returns the backend path for a request path this route matched.
     *
     * @param path the request path, as received apart from dot-segment removal; starts with the route's prefix
     */
    public String apply(String path) {
        if (replacement == null) {
            return path;
        }
        String rest = prefix.equals("/") ? path.substring(1) : path.substring(prefix.length());
        if (prefix.equals("/") && !rest.isEmpty()) {
            rest = "/" + rest;
        }
        String joined;
        if (replacement.isEmpty() || replacement.equals("/")) {
            joined = rest.isEmpty() ? "/" : rest;
        } else {
            joined = replacement + rest;
        }
        return joined;
    }
}
