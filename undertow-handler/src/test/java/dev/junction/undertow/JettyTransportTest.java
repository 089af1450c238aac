package dev.junction.undertow;

import java.time.Duration;

import dev.junction.core.config.ClientConfig;
import dev.junction.core.spi.Transport;
import dev.junction.core.transport.JettyTransport;
import dev.junction.testkit.TransportSuite;

/** The transport contract, kept by the transport on Jetty's client. */
class JettyTransportTest extends TransportSuite {

    @Override
    protected Transport newTransport() {
        return JettyTransport.create(ClientConfig.DEFAULT, Duration.ofSeconds(5));
    }
}
