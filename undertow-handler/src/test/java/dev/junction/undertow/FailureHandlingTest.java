package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.FailureHandlingSuite;
import dev.junction.testkit.Gateway;

class FailureHandlingTest extends FailureHandlingSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
