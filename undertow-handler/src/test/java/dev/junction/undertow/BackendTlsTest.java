package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.BackendTlsSuite;
import dev.junction.testkit.Gateway;

class BackendTlsTest extends BackendTlsSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
