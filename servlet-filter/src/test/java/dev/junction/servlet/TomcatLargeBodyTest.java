package dev.junction.servlet;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LargeBodySuite;

/** 1 GiB each way through {@link ProxyFilter} in Apache Tomcat 10.1, with 128 MiB of heap. */
class TomcatLargeBodyTest extends LargeBodySuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return ServletGateway.start(TomcatContainer.KIND, config);
    }
}
