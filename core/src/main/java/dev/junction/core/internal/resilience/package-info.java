/**
 * Circuit breakers per backend and retries with a budget, on Failsafe:
 * {@link dev.junction.core.internal.resilience.RouteResilience} holds a route's, created as backends appear.
 */
@NullMarked
package dev.junction.core.internal.resilience;

import org.jspecify.annotations.NullMarked;
