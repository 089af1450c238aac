/**
 * Pieces shared by several core packages that are not part of the API: no compatibility is promised.
 */
@NullMarked
package dev.junction.core.internal;

import org.jspecify.annotations.NullMarked;
