package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.AdaptiveConcurrencySuite;
import dev.junction.testkit.Gateway;

class AdaptiveConcurrencyTest extends AdaptiveConcurrencySuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
