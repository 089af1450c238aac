/**
 * The Undertow adapter: {@link dev.junction.undertow.JunctionHandler} wraps the next handler of a chain and forwards
 * the requests under Junction's routes on the I/O thread, without blocking or dispatching to a worker.
 */
@NullMarked
package dev.junction.undertow;

import org.jspecify.annotations.NullMarked;
