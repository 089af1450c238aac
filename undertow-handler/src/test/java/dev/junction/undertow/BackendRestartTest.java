package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.BackendRestartSuite;
import dev.junction.testkit.Gateway;

class BackendRestartTest extends BackendRestartSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }

    @Override
    protected String setup() {
        return "Undertow handler, " + UndertowGateway.TRANSPORT + " transport";
    }
}
