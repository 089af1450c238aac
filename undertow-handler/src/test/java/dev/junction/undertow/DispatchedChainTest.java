package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/** The handler behind a chain that has already moved the exchange to a worker thread. */
class DispatchedChainTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    @Test
    void proxiesFromAWorkerThreadToo() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        JunctionHandler junction = servers.add(JunctionHandler.create(JunctionConfig.builder()
                .route(RouteConfig.builder().prefix("/").backend(backend.url()).build()).build(),
                exchange -> exchange.setStatusCode(404)));
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(new BlockingHandler(junction)).build();
        server.start();
        servers.add(server::stop);
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/upload")).POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).contains("target: /x");
        assertThat(post.body()).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 5");
    }
}
