/**
 * A web application that uses Junction's servlet filter: its {@code web.xml} (in {@code src/main/webapp}) registers
 * {@code ProxyFilter} in front of the application's own servlet; {@link dev.junction.examples.webapp.WebAppMain}
 * deploys it in an embedded Jetty 12.
 */
@NullMarked
package dev.junction.examples.webapp;

import org.jspecify.annotations.NullMarked;
