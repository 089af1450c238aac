package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.AffinitySuite;
import dev.junction.testkit.Gateway;

class AffinityTest extends AffinitySuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
