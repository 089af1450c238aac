package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.ScalingSuite;

class ScalingTest extends ScalingSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
