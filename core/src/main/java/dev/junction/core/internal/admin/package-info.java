/**
 * The admin endpoint: status as JSON, checks on demand, circuit breakers held open or closed; served through the
 * same entry point as the routes, so every adapter answers alike.
 */
@NullMarked
package dev.junction.core.internal.admin;

import org.jspecify.annotations.NullMarked;
