package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.AdminSuite;
import dev.junction.testkit.Gateway;

class AdminTest extends AdminSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
