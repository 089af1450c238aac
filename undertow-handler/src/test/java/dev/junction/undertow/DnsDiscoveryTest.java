package dev.junction.undertow;

import dev.junction.core.config.JunctionConfig;
import dev.junction.testkit.DnsDiscoverySuite;
import dev.junction.testkit.Gateway;

class DnsDiscoveryTest extends DnsDiscoverySuite {

    @Override
    protected Gateway startGateway(JunctionConfig config) {
        return UndertowGateway.start(config);
    }
}
