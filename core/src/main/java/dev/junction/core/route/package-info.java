/**
 * Routing: which route takes a request ({@link dev.junction.core.route.Router}: dot-segments resolved, then the
 * segment-aware longest prefix of {@link dev.junction.core.route.PrefixMatcher}; {@link dev.junction.core.route.Route}
 * holds a route's pool and balancer) and how its path is rewritten for the backend
 * ({@link dev.junction.core.route.PathRewrite}).
 */
@NullMarked
package dev.junction.core.route;

import org.jspecify.annotations.NullMarked;
