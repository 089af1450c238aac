/**
 * The wire towards backends: {@link dev.junction.core.transport.JettyTransport}, the transport on Jetty's
 * {@code HttpClient}, Junction's default. Another transport implements {@link dev.junction.core.spi.Transport}.
 */
@NullMarked
package dev.junction.core.transport;

import org.jspecify.annotations.NullMarked;
