/**
 * The forwarding engine: {@link dev.junction.core.internal.engine.Engine} sends an exchange to a backend and streams the
 * answer back; adapters present the server side of an exchange as a {@link dev.junction.core.spi.ServerExchange}.
 * Header rules (RFC 9110 §7.6), request checks against smuggling, timeouts, retries of requests a backend never saw
 * and the mapping of failures to 502/503/504 live here.
 */
@NullMarked
package dev.junction.core.internal.engine;

import org.jspecify.annotations.NullMarked;
