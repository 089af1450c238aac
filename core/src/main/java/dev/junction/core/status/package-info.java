/**
 * What a running Junction can tell about itself: {@link dev.junction.core.status.RouteStatus} and
 * {@link dev.junction.core.status.BackendStatus} snapshots that say, in words and in a machine-readable reason, why
 * each backend does or does not take traffic, the breakers' and sessions' states, and their JSON form.
 */
@NullMarked
package dev.junction.core.status;

import org.jspecify.annotations.NullMarked;
