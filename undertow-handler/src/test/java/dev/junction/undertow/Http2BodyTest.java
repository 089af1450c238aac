package dev.junction.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;

import dev.junction.core.config.JunctionConfig;
import dev.junction.core.config.RouteConfig;
import dev.junction.testkit.StartedServers;
import dev.junction.testkit.TestBackend;

/**
 * An HTTP/2 request frames its body itself and may carry no {@code Content-Length}: the handler, in an Undertow
 * server that speaks HTTP/2 (h2c), must still forward such a body whole.
 */
class Http2BodyTest {

    @RegisterExtension
    final StartedServers servers = new StartedServers();

    @Test
    void anHttp2BodyWithoutContentLengthIsForwardedWhole() throws Exception {
        TestBackend backend = servers.add(TestBackend.start("a"));
        JunctionHandler handler = JunctionHandler.create(JunctionConfig.builder()
                .route(RouteConfig.builder().name("api").prefix("/").backend(backend.url()).build()).build(),
                exchange -> exchange.getResponseSender().send("next handler"));
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setHandler(handler).build();
        server.start();
        servers.add(() -> {
            server.stop();
            handler.close();
        });
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The first request upgrades the connection to h2c; the next ones are HTTP/2 streams.
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/echo")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);

        // A body of unknown length: the client sends DATA frames and no Content-Length.
        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/upload")).POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(upload.statusCode()).isEqualTo(200);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        assertThat(upload.body().strip()).isEqualTo(sha + " " + body.length);
    }
}
