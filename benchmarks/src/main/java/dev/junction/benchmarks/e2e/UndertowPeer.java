package dev.junction.benchmarks.e2e;

import java.net.URI;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;

/**
 * Undertow's own reverse proxy, the peer the Undertow handler is measured against: {@code ProxyHandler} with a
 * round-robin {@code LoadBalancingProxyClient}, one I/O thread per core (at least two), as a user would set it up.
 *
 * <pre>java -cp ... dev.junction.benchmarks.e2e.UndertowPeer 8183 127.0.0.1:9201,127.0.0.1:9202</pre>
 */
public final class UndertowPeer {

    private UndertowPeer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        LoadBalancingProxyClient backends = new LoadBalancingProxyClient().setConnectionsPerThread(64);
        for (String backend : args[1].split(",")) {
            backends.addHost(URI.create("http://" + backend.trim()));
        }
        ProxyHandler proxy = ProxyHandler.builder().setProxyClient(backends).setMaxRequestTime(-1).build();
        Undertow server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(ioThreads)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                .setHandler(proxy)
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    }
}
