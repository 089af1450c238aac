/**
 * Extending Junction through its SPI: a strategy ({@link dev.junction.examples.extend.FirstAvailableLoadBalancer}), a
 * health check ({@link dev.junction.examples.extend.FileFlagHealthCheck}), a listener
 * ({@link dev.junction.examples.extend.AlertingHealthListener}) and a transport
 * ({@link dev.junction.examples.extend.TracingTransport}), each registered on one Junction. docs/api.md walks through
 * them.
 */
@NullMarked
package dev.junction.examples.extend;

import org.jspecify.annotations.NullMarked;
