package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.ClientFaultSuite;
import dev.junction.testkit.Gateway;

class ClientFaultTest extends ClientFaultSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
