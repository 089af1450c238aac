/**
 * Observations of exchanges and attempts through Micrometer's Observation API
 * ({@link dev.junction.core.internal.tracing.Observations}), so a user with Micrometer Tracing gets a server span per
 * exchange (unless the server already observes the request) and a client span per attempt, with the trace context
 * carried to the backend.
 */
@NullMarked
package dev.junction.core.internal.tracing;

import org.jspecify.annotations.NullMarked;
