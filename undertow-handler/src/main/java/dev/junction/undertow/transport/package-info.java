/**
 * The transport on Undertow's own I/O: {@link dev.junction.undertow.transport.UndertowTransport} keeps each backend
 * exchange on the XNIO I/O thread of the client's exchange, with keep-alive pools per I/O thread and a strict
 * HTTP/1.1 codec of its own.
 */
@NullMarked
package dev.junction.undertow.transport;

import org.jspecify.annotations.NullMarked;
