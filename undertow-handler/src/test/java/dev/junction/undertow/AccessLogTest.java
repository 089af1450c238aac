package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.AccessLogSuite;
import dev.junction.testkit.Gateway;

class AccessLogTest extends AccessLogSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
