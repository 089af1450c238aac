/**
 * Junction's meters, recorded through Micrometer's API into the registry a Junction was given (or made for its admin
 * endpoint): {@link dev.junction.core.internal.metrics.JunctionMeters} registers them and hears of health changes,
 * {@link dev.junction.core.internal.metrics.RouteMeters} is what the engine records each exchange and attempt into,
 * with meters bound once per route and backend. Without a registry the engine records into
 * {@link dev.junction.core.internal.metrics.RouteMeters#NONE}, which does nothing. Imports nothing of the engine:
 * what a gauge reads comes in as a function.
 */
@NullMarked
package dev.junction.core.internal.metrics;

import org.jspecify.annotations.NullMarked;
