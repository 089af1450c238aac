/**
 * The engine: {@link dev.junction.core.internal.engine.Engine}, the one entry point every adapter goes through;
 * {@link dev.junction.core.internal.engine.RouteRuntime}, everything of one route; and the exchange pipeline:
 * {@link dev.junction.core.internal.engine.ProxyExchange} (one exchange), {@link dev.junction.core.internal.engine.BackendChoice}
 * (which backend), {@link dev.junction.core.internal.engine.Attempt} (one request on the wire),
 * {@link dev.junction.core.internal.engine.RetryLoop} (retries), {@link dev.junction.core.internal.engine.Outcomes}
 * (accounting), {@link dev.junction.core.internal.engine.ResponseCopy} (streaming), and
 * {@link dev.junction.core.internal.engine.Answers} (Junction's own answers).
 * {@link dev.junction.core.internal.engine.JunctionRuntime} wires them together for one configuration.
 */
@NullMarked
package dev.junction.core.internal.engine;

import org.jspecify.annotations.NullMarked;
