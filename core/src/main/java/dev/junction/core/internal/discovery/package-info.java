/**
 * Backends from DNS: names looked up on their TTL, each address a backend of its route's pool, added and drained as the
 * records change.
 */
@NullMarked
package dev.junction.core.internal.discovery;

import org.jspecify.annotations.NullMarked;
