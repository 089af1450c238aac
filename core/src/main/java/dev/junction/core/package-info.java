/**
 * Junction's core: everything that decides where a request goes and forwards it, with no server framework classes.
 *
 * <p>Start with {@link dev.junction.core.config.JunctionConfig} (the configuration model), then
 * {@link dev.junction.core.pool.BackendPool} and {@link dev.junction.core.spi.LoadBalancer}.
 */
@NullMarked
package dev.junction.core;

import org.jspecify.annotations.NullMarked;
