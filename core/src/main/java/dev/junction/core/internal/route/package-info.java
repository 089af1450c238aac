/**
 * Routing: which route takes a request ({@link dev.junction.core.internal.route.Router}: dot-segments resolved, then
 * the segment-aware longest prefix of {@link dev.junction.core.internal.route.PrefixMatcher}) and how its path is
 * rewritten for the backend ({@link dev.junction.core.internal.route.PathRewrite}).
 */
@NullMarked
package dev.junction.core.internal.route;

import org.jspecify.annotations.NullMarked;
