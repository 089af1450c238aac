package dev.junction.gateway;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * A demo backend for the demos of the gateway and of the web application: an Undertow server on 127.0.0.1 and an
 * ephemeral port that answers every request with its name, in an {@code X-Backend} header and in a short text body
 * echoing the method and path, so a user can watch the balancing with {@code curl}.
 */
public final class DemoBackend implements AutoCloseable {

    private static final HttpString X_BACKEND = HttpString.tryFromString("X-Backend");

    private final String name;
    private final Undertow server;
    private final int port;

    /**
     * Starts a demo backend on a free loopback port.
     *
     * @param name the name it answers with
     */
    public DemoBackend(String name) {
        this.name = name;
        this.server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(X_BACKEND, name);
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain;charset=utf-8");
                    String target = exchange.getRequestURI()
                            + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString());
                    exchange.getResponseSender().send("Hello from backend " + name + ": "
                            + exchange.getRequestMethod() + " " + target + "\n", StandardCharsets.UTF_8);
                })
                .build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** {@return the name it answers with} */
    public String name() {
        return name;
    }

    /** {@return its address, {@code http://127.0.0.1:<port>}} */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stop();
    }
}
