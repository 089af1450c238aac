/**
 * Balancing strategies: which backend of a route serves a request.
 *
 * <p>Start with {@link dev.junction.core.spi.LoadBalancer} (the strategy interface and the built-ins) and
 * {@link dev.junction.core.internal.balance.RouteBalancer} (the rules every strategy follows: backups, panic). Strategies are
 * named in configuration through {@link dev.junction.core.internal.balance.Strategies}.
 */
@NullMarked
package dev.junction.core.internal.balance;

import org.jspecify.annotations.NullMarked;
