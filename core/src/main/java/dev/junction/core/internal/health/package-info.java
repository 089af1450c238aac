/**
 * Health checking: {@link dev.junction.core.internal.health.ActiveHealthChecker} probes each backend of a route on the
 * gateway's own client and scheduler; {@link dev.junction.core.internal.health.HealthTracker} turns the results into a
 * backend's availability with thresholds; {@link dev.junction.core.spi.HealthListener}s hear of the changes.
 */
@NullMarked
package dev.junction.core.internal.health;

import org.jspecify.annotations.NullMarked;
