package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.Gateway;
import dev.junction.testkit.GrpcSuite;

class GrpcTest extends GrpcSuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.startHttp2(config, null);
    }
}
