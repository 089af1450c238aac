package dev.junction.undertow;

import java.net.InetSocketAddress;
import java.net.URI;

import io.undertow.Undertow;
import io.undertow.util.HttpString;

import dev.junction.core.config.JunctionConfig;

/**
 * Junction's Undertow handler in front of real backends, on 127.0.0.1 and an ephemeral port. Requests no route
 * takes reach a next handler that answers {@code 200 next handler}.
 */
final class TestGateway implements AutoCloseable {

    final JunctionHandler handler;
    private final Undertow server;
    private final int port;

    TestGateway(JunctionConfig config) {
        this.handler = JunctionHandler.create(config, exchange -> {
            exchange.getResponseHeaders().put(HttpString.tryFromString("X-Next"), "yes");
            exchange.getResponseSender().send("next handler");
        });
        this.server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(2)
                .setHandler(handler)
                .build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    int port() {
        return port;
    }

    URI uri(String target) {
        return URI.create("http://127.0.0.1:" + port + target);
    }

    @Override
    public void close() {
        server.stop();
        handler.close();
    }
}
