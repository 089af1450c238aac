/**
 * Routing: which route takes a request ({@link dev.junction.core.route.PrefixMatcher}, segment-aware longest prefix)
 * and how its path is rewritten for the backend ({@link dev.junction.core.route.PathRewrite}).
 */
@NullMarked
package dev.junction.core.route;

import org.jspecify.annotations.NullMarked;
