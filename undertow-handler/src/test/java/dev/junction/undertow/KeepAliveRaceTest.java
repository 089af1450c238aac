package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.KeepAliveRaceSuite;

class KeepAliveRaceTest extends KeepAliveRaceSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
