/**
 * What users implement or hand in, in one place: balancing strategies ({@link dev.junction.core.spi.LoadBalancer}),
 * health checks of one's own ({@link dev.junction.core.spi.HealthCheck}), listeners
 * ({@link dev.junction.core.spi.HealthListener}, {@link dev.junction.core.spi.ExchangeListener}), the wire towards
 * backends ({@link dev.junction.core.spi.Transport}), the server side of an exchange as an adapter presents it
 * ({@link dev.junction.core.spi.ServerExchange}), and time ({@link dev.junction.core.spi.Ticker},
 * {@link dev.junction.core.spi.Scheduler}). Extensions see backends through {@link dev.junction.core.spi.Backend}, a
 * read-only view.
 */
@NullMarked
package dev.junction.core.spi;

import org.jspecify.annotations.NullMarked;
