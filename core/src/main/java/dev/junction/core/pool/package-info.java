/**
 * Backends and pools: {@link dev.junction.core.spi.Backend} (a definition linked to its live
 * {@link dev.junction.core.internal.LiveState}) and {@link dev.junction.core.pool.BackendPool}, the copy-on-write
 * membership every selection reads.
 */
@NullMarked
package dev.junction.core.pool;

import org.jspecify.annotations.NullMarked;
