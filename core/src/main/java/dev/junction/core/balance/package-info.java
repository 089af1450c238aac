/**
 * Balancing strategies: which backend of a route serves a request.
 *
 * <p>Start with {@link dev.junction.core.balance.LoadBalancer} (the strategy interface and the built-ins) and
 * {@link dev.junction.core.balance.RouteBalancer} (the rules every strategy follows: backups, panic). Strategies are
 * named in configuration through {@link dev.junction.core.balance.LoadBalancerRegistry}.
 */
@NullMarked
package dev.junction.core.balance;

import org.jspecify.annotations.NullMarked;
