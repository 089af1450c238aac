/**
 * Balancing: the built-in strategies, {@link dev.junction.core.internal.balance.Strategies} (the names one Junction
 * knows) and {@link dev.junction.core.internal.balance.RouteBalancer} (the rules every strategy follows: backups,
 * panic, slow start). A strategy of one's own implements {@link dev.junction.core.spi.LoadBalancer}.
 */
@NullMarked
package dev.junction.core.internal.balance;

import org.jspecify.annotations.NullMarked;
