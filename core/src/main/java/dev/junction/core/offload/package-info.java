/**
 * The offload pool: CPU-heavy handler work moved off a server's I/O or container threads onto a fixed pool with a
 * bounded queue, refused with {@code 503} when full. The Undertow handler and the servlet filter that use it are in
 * their adapters.
 */
@NullMarked
package dev.junction.core.offload;

import org.jspecify.annotations.NullMarked;
