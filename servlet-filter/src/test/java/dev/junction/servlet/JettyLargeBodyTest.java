package dev.junction.servlet;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LargeBodySuite;

/** 1 GiB each way through {@link ProxyFilter} in Jetty 12 (ee10), with 128 MiB of heap. */
class JettyLargeBodyTest extends LargeBodySuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return ServletGateway.start(JettyContainer.KIND, config);
    }
}
