/**
 * What the core's packages share and is not API: no compatibility is promised for anything under this package. A
 * backend's mutable numbers ({@link dev.junction.core.internal.LiveState}), classes named in configuration
 * ({@link dev.junction.core.internal.Plugins}), hashing, and Junction's own scheduler thread.
 */
@NullMarked
package dev.junction.core.internal;

import org.jspecify.annotations.NullMarked;
