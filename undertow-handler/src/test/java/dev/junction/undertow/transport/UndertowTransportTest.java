package dev.junction.undertow.transport;

import java.time.Duration;

import dev.junction.core.config.ClientConfig;
import dev.junction.core.spi.Transport;
import dev.junction.testkit.TransportSuite;

/** The transport contract, kept by the transport on Undertow's I/O threads. */
class UndertowTransportTest extends TransportSuite {

    @Override
    protected Transport newTransport() {
        return UndertowTransport.create(ClientConfig.DEFAULT, Duration.ofSeconds(5));
    }
}
