package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.RoutingSuite;

class RoutingTest extends RoutingSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
