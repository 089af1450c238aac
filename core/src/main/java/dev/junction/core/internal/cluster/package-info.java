/**
 * Cluster mode: the supervisor that runs the configuration's worker processes, keeps them in their routes while they
 * answer, restarts them, rolls them one at a time and stops them with Junction.
 */
@NullMarked
package dev.junction.core.internal.cluster;

import org.jspecify.annotations.NullMarked;
