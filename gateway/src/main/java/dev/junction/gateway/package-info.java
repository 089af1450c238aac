/**
 * The standalone gateway: {@link dev.junction.gateway.GatewayMain} parses the command line and starts an
 * Undertow server with Junction's handler in front of a configuration file's routes, a list of backends, or three
 * demo backends.
 */
@NullMarked
package dev.junction.gateway;

import org.jspecify.annotations.NullMarked;
