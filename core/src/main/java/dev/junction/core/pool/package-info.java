/**
 * Pools: {@link dev.junction.core.pool.BackendPool}, the copy-on-write membership of a route every selection reads,
 * and the operator's way to add, update, remove and drain backends at run time.
 */
@NullMarked
package dev.junction.core.pool;

import org.jspecify.annotations.NullMarked;
