package dev.junction.servlet;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.LargeBodySuite;

/** 1 GiB each way through {@link ProxyFilter} in Undertow's servlet container, with 128 MiB of heap. */
class UndertowLargeBodyTest extends LargeBodySuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return ServletGateway.start(UndertowContainer.KIND, config);
    }
}
