/**
 * Cluster mode from a worker's side: {@link dev.junction.core.cluster.Worker} tells a process started by a supervisor
 * (Junction's {@code cluster}, or any process manager that sets the same variables) who it is.
 */
@NullMarked
package dev.junction.core.cluster;

import org.jspecify.annotations.NullMarked;
