/**
 * Junction's core: everything that decides where a request goes and forwards it, with no server framework classes.
 *
 * <p>Start with {@link dev.junction.core.Junction} (built with {@link dev.junction.core.Junction#builder()} from a
 * {@link dev.junction.core.config.JunctionConfig}); an adapter calls {@link dev.junction.core.Junction#match}. An
 * operator reaches a route through {@link dev.junction.core.Route}, its breakers through
 * {@link dev.junction.core.Breaker}, its sessions through {@link dev.junction.core.Sessions} and its release groups
 * through {@link dev.junction.core.Release}. Extension points are in {@link dev.junction.core.spi}.
 */
@NullMarked
package dev.junction.core;

import org.jspecify.annotations.NullMarked;
