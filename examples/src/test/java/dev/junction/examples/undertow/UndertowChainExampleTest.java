package dev.junction.examples.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.undertow.Undertow;
import io.undertow.util.HttpString;

import dev.junction.undertow.JunctionHandler;

class UndertowChainExampleTest {

    @Test
    void theApplicationKeepsItsPathsAndApiIsProxied() throws Exception {
        Undertow backend = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    exchange.getResponseHeaders().put(HttpString.tryFromString("X-Backend"), "api");
                    exchange.getResponseSender().send("backend saw " + exchange.getRequestURI());
                }).build();
        backend.start();
        int backendPort = ((InetSocketAddress) backend.getListenerInfo().get(0).getAddress()).getPort();
        JunctionHandler handler = UndertowChainExample.withJunction(UndertowChainExample.application(),
                List.of("127.0.0.1:" + backendPort));
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(handler).build();
        server.start();
        try {
            int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
            HttpClient client = HttpClient.newHttpClient();
            assertThat(get(client, port, "/health").body()).isEqualTo("ok\n");
            assertThat(get(client, port, "/").body()).isEqualTo("Hello from the application\n");
            HttpResponse<String> api = get(client, port, "/api/orders/7");
            assertThat(api.headers().firstValue("X-Backend")).hasValue("api");
            assertThat(api.body()).isEqualTo("backend saw /orders/7");
        } finally {
            server.stop();
            handler.close();
            backend.stop();
        }
    }

    private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
